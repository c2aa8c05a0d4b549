/*
 * test_ia64_decode.c - IA-64 templates, the form table, and bundles whose
 * meaning was read off GNU objdump (the exhaustive comparison is the
 * ia64_objdump_diff test).
 */
#include <stdio.h>
#include <string.h>

#include "cunit_main.h"
#include "model/cpu/ia64/decode.h"

/* Vol. 1 Table 3-10, written out again: units per slot, stops, reserved. */
static void test_templates(void)
{
    static const char *const expect[32] = {
        "MII", "MII;;", "MI;;I", "MI;;I;;", "MLX", "MLX;;", NULL,  NULL,
        "MMI", "MMI;;", "M;;MI", "M;;MI;;", "MFI", "MFI;;", "MMF", "MMF;;",
        "MIB", "MIB;;", "MBB",   "MBB;;",   NULL,  NULL,    "BBB", "BBB;;",
        "MMB", "MMB;;", NULL,    NULL,      "MFB", "MFB;;", NULL,  NULL,
    };
    static const char letters[] = {'M', 'I', 'F', 'B', 'L', 'X'};
    for (unsigned t = 0; t < 32; t++) {
        uint8_t u[3], stop;
        bool reserved;
        char got[16] = "";
        size_t n = 0;
        ia64_template(t, u, &stop, &reserved);
        if (!reserved)
            for (int i = 0; i < 3; i++) {
                got[n++] = letters[u[i]];
                if ((stop >> i) & 1) {
                    got[n++] = ';';
                    got[n++] = ';';
                }
            }
        got[n] = '\0';
        if (expect[t]) {
            CU_ASSERT_STRING_EQUAL(got, expect[t]);
        } else {
            CU_ASSERT_TRUE(reserved);
        }
    }
}

static void test_table(void)
{
    CU_ASSERT_EQUAL(ia64_table_overlaps(stderr), 0);
    /* The check can fail: add with a wider mask-free twin, and an M form
     * against an A form of the same bits, are overlaps. */
    struct ia64_form_info twin = ia64_forms[IA64_ADD];
    twin.mask &= ~(3ull << 27);
    CU_ASSERT_TRUE(ia64_forms_overlap(&ia64_forms[IA64_SUB1], &twin) ||
                   ia64_forms_overlap(&ia64_forms[IA64_ADD1], &twin));
    struct ia64_form_info m = ia64_forms[IA64_ADD];
    m.unit = U_M;
    CU_ASSERT_TRUE(ia64_forms_overlap(&ia64_forms[IA64_ADD], &m));
    m.unit = U_B;
    CU_ASSERT_FALSE(ia64_forms_overlap(&ia64_forms[IA64_ADD], &m));
    for (unsigned f = 0; f < IA64_NFORMS; f++)
        CU_ASSERT_EQUAL(ia64_forms[f].match & ~ia64_forms[f].mask, 0);
}

static void bundle_text(const uint8_t bytes[16], char out[3][64])
{
    struct ia64_bundle b;
    ia64_decode_bundle(bytes, &b);
    for (unsigned i = 0; i < 3; i++)
        ia64_disasm_slot(&b, i, out[i], 64);
}

static void test_known_bundles(void)
{
    /* objdump: [MII] add r1=r2,r3 / adds r4=-8192,r5 / addl r6=-2097152,r1;; */
    static const uint8_t b1[16] = {0x01, 0x08, 0x08, 0x06, 0x00, 0x20, 0x40, 0x00,
                                   0x14, 0x00, 0x46, 0xc0, 0x00, 0x08, 0x00, 0x98};
    char t[3][64];
    bundle_text(b1, t);
    CU_ASSERT_STRING_EQUAL(t[0], "add r1=r2,r3");
    CU_ASSERT_STRING_EQUAL(t[1], "adds r4=-8192,r5");
    CU_ASSERT_STRING_EQUAL(t[2], "addl r6=-2097152,r1");
    /* objdump: [MLX] break.m 0x100 / movl r8=0x123456789abcdef0;; */
    static const uint8_t b2[16] = {0x05, 0x00, 0x08, 0x00, 0x00, 0x80, 0x9a, 0x78,
                                   0x56, 0x34, 0x12, 0x00, 0x01, 0x97, 0xf7, 0x66};
    bundle_text(b2, t);
    CU_ASSERT_STRING_EQUAL(t[0], "break.m 0x100");
    CU_ASSERT_STRING_EQUAL(t[2], "movl r8=0x123456789abcdef0");
    CU_ASSERT_STRING_NOT_EQUAL(t[2], "movl r8=0x123456789abcdef1");
    /* objdump: [MMI] fetchadd8.acq r5=[r3],1 / fetchadd4.rel r6=[r9],-16 /
     * nop.i 0x0: r3 fields that are no multiple of 8 (bits 22:20 set). */
    static const uint8_t b4[16] = {0x08, 0x28, 0x0c, 0x06, 0x99, 0x10, 0x60, 0x20,
                                   0x24, 0x62, 0x21, 0x00, 0x00, 0x00, 0x04, 0x00};
    bundle_text(b4, t);
    CU_ASSERT_STRING_EQUAL(t[0], "fetchadd8.acq r5=[r3],1");
    CU_ASSERT_STRING_EQUAL(t[1], "fetchadd4.rel r6=[r9],-16");
    /* A reserved template: every slot is unsupported. */
    uint8_t b3[16];
    memcpy(b3, b1, 16);
    b3[0] = (uint8_t)((b3[0] & ~0x1f) | 0x06);
    bundle_text(b3, t);
    CU_ASSERT_PTR_NOT_NULL(strstr(t[0], "<unsupported slot"));
}

static void test_disasm_elf_errors(void)
{
    char err[256];
    FILE *f = tmpfile();
    CU_ASSERT_EQUAL(ia64_disasm_elf("/nonexistent", f, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot read"));
    CU_ASSERT_EQUAL(ia64_disasm_elf(VTSIM_SOURCE_DIR "/README.md", f, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a little-endian ELF64 IA-64 file"));
    fclose(f);
}

static CU_TestInfo tests[] = {
    {"templates", test_templates},
    {"form table: no overlaps, matches inside masks", test_table},
    {"bundles read off objdump", test_known_bundles},
    {"disassembler errors", test_disasm_elf_errors},
    CU_TEST_INFO_NULL,
};

CUNIT_MAIN("ia64_decode", tests)
