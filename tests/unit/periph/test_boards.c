/* Board tables: consistent names, windows, memories, interrupt numbers,
 * LEDs and buttons; every peripheral of ours accepts its cfg. */
#include <string.h>

#include "fixture.h"
#include "boards/board.h"
#include "periph/systick.h"
#include "periph/nrf_rtc.h"
#include "periph/nrf_uarte.h"
#include "periph/nrf_gpio.h"
#include "periph/nrf_gpiote.h"
#include "periph/nrf_clock.h"
#include "periph/cmsdk_timer.h"
#include "periph/cmsdk_dualtimer.h"
#include "periph/cmsdk_uart.h"
#include "periph/mps2_fpgaio.h"
#include "periph/clint.h"
#include "periph/plic.h"
#include "periph/ns16550.h"
#include "periph/sifive_test.h"

#define HART_IRQ_BASE IRQ_HART(0)    /* boards/board.h */

static const struct periph_model *const ours[] = {
    &systick_model, &nrf_rtc_model, &nrf_uarte_model, &nrf_gpio_model, &nrf_gpiote_model,
    &nrf_clock_model, &cmsdk_timer_model, &cmsdk_dualtimer_model, &cmsdk_uart_model,
    &mps2_fpgaio_model, &clint_model, &plic_model, &ns16550_model, &sifive_test_model,
};

static bool is_ours(const struct periph_model *m)
{
    for (unsigned i = 0; i < ARRAY_LEN(ours); i++)
        if (ours[i] == m)
            return true;
    return false;
}

static const struct periph_inst *find(const struct board_desc *b, const char *name)
{
    for (unsigned i = 0; i < b->nperiphs; i++)
        if (strcmp(b->periphs[i].name, name) == 0)
            return &b->periphs[i];
    return NULL;
}

START_TEST(test_board_find)
{
    ck_assert_uint_ge(board_count, 1);
    ck_assert_ptr_eq(board_find(NULL), board_list[0]);
    ck_assert_ptr_eq(board_find("qemu-rv32-virt"), &board_qemu_rv32_virt);
    ck_assert_ptr_null(board_find("no-such-board"));
}
END_TEST

START_TEST(test_board_consistent)
{
    const struct board_desc *b = board_list[_i];

    ck_assert_ptr_nonnull(b->name);
    ck_assert_ptr_nonnull(b->summary);
    ck_assert_uint_gt(b->cpu_hz, 0);
    ck_assert_ptr_nonnull(find(b, b->intc));
    ck_assert_ptr_nonnull(find(b, b->console));
    ck_assert_ptr_nonnull(find(b, b->console)->model->ops->rx);
    /* memories do not overlap */
    for (unsigned i = 0; i < b->nmems; i++)
        for (unsigned j = i + 1; j < b->nmems; j++) {
            const struct mem_desc *x = &b->mems[i], *y = &b->mems[j];
            ck_assert_msg(x->base + x->size <= y->base || y->base + y->size <= x->base,
                          "%s: %s overlaps %s", b->name, x->name, y->name);
        }
    for (unsigned i = 0; i < b->nperiphs; i++) {
        const struct periph_inst *p = &b->periphs[i];
        uint64_t pb = p->base, pe = pb + p->model->size;
        /* unique names; windows disjoint or nested (the smallest wins) */
        for (unsigned j = i + 1; j < b->nperiphs; j++) {
            const struct periph_inst *q = &b->periphs[j];
            uint64_t qb = q->base, qe = qb + q->model->size;
            bool disjoint = pe <= qb || qe <= pb;
            bool nested = (pb <= qb && qe <= pe) || (qb <= pb && pe <= qe);
            ck_assert_msg(strcmp(p->name, q->name) != 0, "%s: two '%s'", b->name, p->name);
            ck_assert_msg(disjoint || nested, "%s: %s and %s overlap", b->name, p->name, q->name);
        }
        for (unsigned m = 0; m < b->nmems; m++)
            ck_assert_msg(pe <= b->mems[m].base || b->mems[m].base + b->mems[m].size <= pb,
                          "%s: %s overlaps memory %s", b->name, p->name, b->mems[m].name);
        for (unsigned k = 0; k < 4; k++) {
            int n = p->irq[k];
            if (n < 0)
                continue;
            if (b->arch == ARCH_ARMV7M)
                ck_assert_msg(n == 15 || (n >= 16 && n < 16 + (int)b->nirqs),
                              "%s: %s irq[%u] = %d", b->name, p->name, k, n);
            else
                ck_assert_msg((n >= 1 && n < (int)b->nirqs) ||
                              (n >= HART_IRQ_BASE && n < HART_IRQ_BASE + 32),
                              "%s: %s irq[%u] = %d", b->name, p->name, k, n);
        }
    }
    for (unsigned i = 0; i < b->nleds + b->nbuttons; i++) {
        const struct board_io *io = i < b->nleds ? &b->leds[i] : &b->buttons[i - b->nleds];
        const struct periph_inst *p = find(b, io->periph);
        ck_assert_msg(p != NULL, "%s: %s on missing %s", b->name, io->name, io->periph);
        ck_assert_uint_lt(io->pin, PERIPH_MAX_PINS);
        if (i >= b->nleds)
            ck_assert_ptr_nonnull(p->model->ops->pin_in);
    }
}
END_TEST

/* Every peripheral of ours is created from its board cfg and reset. */
START_TEST(test_board_creates)
{
    const struct board_desc *b = board_list[_i];
    for (unsigned i = 0; i < b->nperiphs; i++) {
        const struct periph_inst *p = &b->periphs[i];
        struct fx f;
        struct sim_error err = { "" };
        if (!is_ours(p->model))
            continue;
        ck_assert_msg(fx_try_create(&f, p->model, p->name, p->base, b->cpu_hz, p->cfg, &err) == 0,
                      "%s: %s: %s", b->name, p->name, err.msg);
        fx_destroy(&f);
    }
}
END_TEST

static Suite *boards_suite(void)
{
    Suite *s = suite_create("boards");
    TCase *tc = tcase_create("boards");
    tcase_add_test(tc, test_board_find);
    tcase_add_loop_test(tc, test_board_consistent, 0, (int)board_count);
    tcase_add_loop_test(tc, test_board_creates, 0, (int)board_count);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return fx_run_suite(boards_suite());
}
