/* TBF v2 header parsing (os/kernel/tbf.c): every TLV, checksums, malformed
 * and truncated headers, total_size past the end of flash. */
#include <check.h>
#include <string.h>
#include "check_tap.h"
#include "kernel/tbf.h"

struct img {
    uint8_t b[512];
    uint32_t hs;                /* header size so far */
};

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }

static void img_begin(struct img *im, uint32_t total, uint32_t flags)
{
    memset(im, 0, sizeof(*im));
    put16(im->b, 2);
    put32(im->b + 4, total);
    put32(im->b + 8, flags);
    im->hs = 16;
}

static void img_tlv(struct img *im, uint16_t type, const void *data, uint16_t len)
{
    put16(im->b + im->hs, type);
    put16(im->b + im->hs + 2, len);
    memcpy(im->b + im->hs + 4, data, len);
    im->hs += 4 + ((len + 3u) & ~3u);
}

static void img_main(struct img *im, uint32_t init, uint32_t prot, uint32_t ram)
{
    uint8_t d[12];
    put32(d, init);
    put32(d + 4, prot);
    put32(d + 8, ram);
    img_tlv(im, TBF_TLV_MAIN, d, 12);
}

/* Set header_size and a correct checksum. */
static void img_end(struct img *im)
{
    put16(im->b + 2, (uint16_t)im->hs);
    put32(im->b + 12, tbf_checksum(im->b, im->hs));
}

START_TEST(test_minimal_app)
{
    struct img im;
    struct tbf_header h;
    img_begin(&im, 256, 1);
    img_main(&im, 8, 4, 4096);
    img_end(&im);
    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_OK);
    ck_assert(tbf_is_app(&h));
    ck_assert(tbf_enabled(&h));
    ck_assert_uint_eq(h.header_size, 32);
    ck_assert_uint_eq(h.total_size, 256);
    ck_assert_uint_eq(h.init_fn_offset, 8);
    ck_assert_uint_eq(h.protected_trailer_size, 4);
    ck_assert_uint_eq(h.minimum_ram_size, 4096);
    ck_assert_uint_eq(h.fixed_ram, TBF_NO_ADDRESS);
    ck_assert_uint_eq(h.name_len, 0);
}
END_TEST

START_TEST(test_every_tlv)
{
    struct img im;
    struct tbf_header h;
    img_begin(&im, 512, 3);
    img_main(&im, 0, 0, 1000);
    uint8_t prog[20];
    put32(prog, 0x40);
    put32(prog + 4, 0x20);
    put32(prog + 8, 2048);
    put32(prog + 12, 300);
    put32(prog + 16, 7);
    img_tlv(&im, TBF_TLV_PROGRAM, prog, 20);
    uint8_t wfr[16];
    put32(wfr, 0x100);
    put32(wfr + 4, 0x40);
    put32(wfr + 8, 0x180);
    put32(wfr + 12, 0);
    img_tlv(&im, TBF_TLV_WFR, wfr, 16);
    img_tlv(&im, TBF_TLV_PACKAGE_NAME, "blinky", 6);
    uint8_t fixed[8];
    put32(fixed, 0x80300000);
    put32(fixed + 4, 0x80100080);
    img_tlv(&im, TBF_TLV_FIXED_ADDRESSES, fixed, 8);
    uint8_t perm[2 + 16];
    put16(perm, 1);
    put32(perm + 2, 0x1);               /* console */
    put32(perm + 6, 0);                 /* commands 0-63 */
    put32(perm + 10, 0x3);              /* commands 0 and 1 */
    put32(perm + 14, 0);
    img_tlv(&im, TBF_TLV_PERMISSIONS, perm, sizeof(perm));
    uint8_t stor[8] = { 1, 0, 0, 0, 0, 0, 0, 0 };
    img_tlv(&im, TBF_TLV_STORAGE_PERMISSIONS, stor, 8);
    uint8_t kv[4];
    put16(kv, 2);
    put16(kv + 2, 1);
    img_tlv(&im, TBF_TLV_KERNEL_VERSION, kv, 4);
    uint8_t sid[4];
    put32(sid, 0xabcd);
    img_tlv(&im, TBF_TLV_SHORT_ID, sid, 4);
    img_tlv(&im, 0x7777, "??", 2);     /* unknown: skipped */
    img_end(&im);

    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_OK);
    ck_assert(h.has_main && h.has_program);
    ck_assert_uint_eq(h.init_fn_offset, 0x40);        /* Program wins */
    ck_assert_uint_eq(h.protected_trailer_size, 0x20);
    ck_assert_uint_eq(h.minimum_ram_size, 2048);
    ck_assert_uint_eq(h.binary_end_offset, 300);
    ck_assert_uint_eq(h.app_version, 7);
    ck_assert_uint_eq(h.n_wfr, 2);
    ck_assert_uint_eq(h.wfr[0].offset, 0x100);
    ck_assert_uint_eq(h.wfr[0].size, 0x40);
    ck_assert_uint_eq(h.name_len, 6);
    ck_assert(memcmp(im.b + h.name_offset, "blinky", 6) == 0);
    ck_assert_uint_eq(h.fixed_ram, 0x80300000);
    ck_assert_uint_eq(h.fixed_flash, 0x80100080);
    ck_assert(h.has_permissions);
    ck_assert(tbf_command_permitted(im.b, &h, 1, 1));
    ck_assert(!tbf_command_permitted(im.b, &h, 1, 2));
    ck_assert(!tbf_command_permitted(im.b, &h, 2, 0));
    ck_assert(h.has_storage_permissions);
    ck_assert(h.has_kernel_version);
    ck_assert_uint_eq(h.kernel_major, 2);
    ck_assert_uint_eq(h.kernel_minor, 1);
    ck_assert(h.has_short_id);
    ck_assert_uint_eq(h.short_id, 0xabcd);
    ck_assert_uint_eq(h.flags, 3);
}
END_TEST

START_TEST(test_padding_object)
{
    struct img im;
    struct tbf_header h;
    img_begin(&im, 128, 0);
    img_end(&im);
    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_OK);
    ck_assert(!tbf_is_app(&h));
    ck_assert(!tbf_enabled(&h));
}
END_TEST

START_TEST(test_bad_checksum_skips)
{
    struct img im;
    struct tbf_header h;
    const char *why = NULL;
    img_begin(&im, 256, 1);
    img_main(&im, 0, 0, 1024);
    img_end(&im);
    im.b[12] ^= 0x40;
    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, &why), TBF_SKIP);
    ck_assert_uint_eq(h.total_size, 256);           /* still usable to skip */
    ck_assert_str_eq(why, "bad checksum");
}
END_TEST

START_TEST(test_version_not_2_ends)
{
    struct img im;
    struct tbf_header h;
    img_begin(&im, 256, 1);
    img_end(&im);
    put16(im.b, 1);
    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_END);
    memset(im.b, 0xff, 16);                         /* erased flash */
    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_END);
    memset(im.b, 0, 16);
    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_END);
}
END_TEST

START_TEST(test_total_size_past_end)
{
    struct img im;
    struct tbf_header h;
    img_begin(&im, 4096, 1);
    img_main(&im, 0, 0, 1024);
    img_end(&im);
    ck_assert_int_eq(tbf_parse(im.b, 1024, &h, NULL), TBF_FATAL);
    ck_assert_int_eq(tbf_parse(im.b, 4096, &h, NULL), TBF_OK);
    put32(im.b + 4, 0);                             /* total_size 0: cannot skip */
    img_end(&im);
    ck_assert_int_eq(tbf_parse(im.b, 4096, &h, NULL), TBF_FATAL);
}
END_TEST

START_TEST(test_truncated_header)
{
    struct img im;
    struct tbf_header h;
    img_begin(&im, 256, 1);
    img_end(&im);
    ck_assert_int_eq(tbf_parse(im.b, 8, &h, NULL), TBF_END);   /* not even a base header */
    /* a TLV that claims more bytes than header_size holds */
    img_begin(&im, 256, 1);
    img_main(&im, 0, 0, 1024);
    im.hs -= 4;
    img_end(&im);
    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_SKIP);
    /* header_size larger than total_size */
    img_begin(&im, 32, 1);
    img_main(&im, 0, 0, 1024);
    im.hs += 8;
    img_end(&im);
    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_SKIP);
    /* header_size below 16 */
    img_begin(&im, 64, 1);
    img_end(&im);
    put16(im.b + 2, 8);
    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_SKIP);
}
END_TEST

START_TEST(test_wrong_tlv_lengths)
{
    struct img im;
    struct tbf_header h;
    uint8_t d[24] = { 0 };
    static const uint16_t types[] = { TBF_TLV_MAIN, TBF_TLV_PROGRAM, TBF_TLV_FIXED_ADDRESSES,
                                      TBF_TLV_KERNEL_VERSION, TBF_TLV_SHORT_ID, TBF_TLV_WFR };
    static const uint16_t bad_len[] = { 8, 16, 4, 8, 2, 12 };
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        img_begin(&im, 256, 1);
        img_tlv(&im, types[i], d, bad_len[i]);
        img_end(&im);
        ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_SKIP);
    }
    /* Permissions whose count does not fit its length */
    img_begin(&im, 256, 1);
    put16(d, 5);
    img_tlv(&im, TBF_TLV_PERMISSIONS, d, 18);
    img_end(&im);
    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_SKIP);
}
END_TEST

START_TEST(test_init_outside_binary)
{
    struct img im;
    struct tbf_header h;
    img_begin(&im, 64, 1);
    img_main(&im, 64, 0, 1024);
    img_end(&im);
    ck_assert_int_eq(tbf_parse(im.b, sizeof(im.b), &h, NULL), TBF_SKIP);
}
END_TEST

static Suite *tbf_suite(void)
{
    Suite *s = suite_create("os_tbf");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, test_minimal_app);
    tcase_add_test(tc, test_every_tlv);
    tcase_add_test(tc, test_padding_object);
    tcase_add_test(tc, test_bad_checksum_skips);
    tcase_add_test(tc, test_version_not_2_ends);
    tcase_add_test(tc, test_total_size_past_end);
    tcase_add_test(tc, test_truncated_header);
    tcase_add_test(tc, test_wrong_tlv_lengths);
    tcase_add_test(tc, test_init_outside_binary);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite_tap(tbf_suite());
}
