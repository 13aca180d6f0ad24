#include "timer_props.h"

#include <stdio.h>
#include <string.h>

#include "../sim/snap.h"

void timer_props_init(struct timer_props *tp, const unsigned *widths, unsigned nwidths,
                      unsigned width_bits, uint64_t prescaler, uint64_t prescaler_min,
                      uint64_t prescaler_max, const char *prescaler_what)
{
    tp->widths = widths;
    tp->nwidths = nwidths;
    tp->width_bits = width_bits;
    tp->start_count = 0;
    tp->prescaler = prescaler;
    tp->prescaler_min = prescaler_min;
    tp->prescaler_max = prescaler_max;
    tp->prescaler_what = prescaler_what;
}

static void widths_list(const struct timer_props *tp, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < tp->nwidths && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%u", i ? ", " : "", tp->widths[i]);
}

static int check_width(struct timer_props *tp, const struct periph *p, const char *what,
                       uint64_t value, struct sim_error *err)
{
    char list[64];
    for (unsigned i = 0; i < tp->nwidths; i++) {
        if (tp->widths[i] == value) {
            uint64_t mask = value >= 64 ? UINT64_MAX : (1ull << value) - 1;
            if (tp->start_count > mask)
                return sim_errorf(err, "%s.%s: found %llu, but start_count 0x%llx does not fit "
                                  "in %llu bits (expected start_count <= 0x%llx)",
                                  p->name, what, (unsigned long long)value,
                                  (unsigned long long)tp->start_count,
                                  (unsigned long long)value, (unsigned long long)mask);
            tp->width_bits = (unsigned)value;
            return 0;
        }
    }
    widths_list(tp, list, sizeof list);
    return sim_errorf(err, "%s.%s: found %llu, expected one of %s", p->name, what,
                      (unsigned long long)value, list);
}

int timer_props_cfg_width(struct timer_props *tp, const struct periph *p, unsigned cfg_width,
                          struct sim_error *err)
{
    if (cfg_width == 0)
        return 0;
    return check_width(tp, p, "width_bits (board table)", cfg_width, err);
}

int timer_props_set(struct timer_props *tp, const struct periph *p, const char *prop,
                    uint64_t value, struct sim_error *err)
{
    if (strcmp(prop, "width_bits") == 0)
        return check_width(tp, p, prop, value, err);
    if (strcmp(prop, "start_count") == 0) {
        uint64_t mask = timer_props_mask(tp);
        if (value > mask)
            return sim_errorf(err, "%s.start_count: found 0x%llx, expected at most 0x%llx "
                              "(width_bits is %u)", p->name, (unsigned long long)value,
                              (unsigned long long)mask, tp->width_bits);
        tp->start_count = value;
        return 0;
    }
    if (strcmp(prop, "prescaler") == 0) {
        if (tp->prescaler_max == 0)
            return sim_errorf(err, "%s.prescaler: this %s has no prescaler (found %llu)",
                              p->name, p->model->kind, (unsigned long long)value);
        if (value < tp->prescaler_min || value > tp->prescaler_max)
            return sim_errorf(err, "%s.prescaler: found %llu, expected %llu..%llu (%s)",
                              p->name, (unsigned long long)value,
                              (unsigned long long)tp->prescaler_min,
                              (unsigned long long)tp->prescaler_max, tp->prescaler_what);
        tp->prescaler = value;
        return 0;
    }
    return 1;
}

int timer_props_unknown(const struct periph *p, const char *prop, const char *extra,
                        struct sim_error *err)
{
    return sim_errorf(err, "%s: unknown property '%s' (expected width_bits, start_count, "
                      "prescaler%s%s)", p->name, prop, extra && *extra ? ", " : "",
                      extra ? extra : "");
}

void timer_props_save(const struct timer_props *tp, struct snap_writer *w)
{
    snap_u32(w, "width_bits", tp->width_bits);
    snap_u64(w, "start_count", tp->start_count);
    snap_u64(w, "prescaler", tp->prescaler);
}

void timer_props_load(struct timer_props *tp, struct snap_reader *r)
{
    unsigned width = snap_get_u32(r, "width_bits");
    uint64_t start = snap_get_u64(r, "start_count"), presc = snap_get_u64(r, "prescaler");
    bool ok = false;

    for (unsigned i = 0; i < tp->nwidths; i++)
        ok |= tp->widths[i] == width;
    if (!ok) {
        snap_fail(r, "width_bits", "%u is not a width of this model", width);
        return;
    }
    if (presc < tp->prescaler_min || presc > tp->prescaler_max) {
        snap_fail(r, "prescaler", "%llu, expected %llu..%llu", (unsigned long long)presc,
                  (unsigned long long)tp->prescaler_min, (unsigned long long)tp->prescaler_max);
        return;
    }
    tp->width_bits = width;
    tp->start_count = start;
    tp->prescaler = presc;
}
