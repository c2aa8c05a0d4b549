/*
 * disasm.c - IA-64 slots in GNU objdump syntax (the differential test in
 * tests/ia64 compares this text with ia64-linux-gnu-objdump, form by form),
 * and a whole-ELF printer for `vtsim disasm`.
 *
 * Forms whose mnemonic starts with '!' are not predicated: no "(pN)".
 * objdump's aliases kept here: adds r1=0,r3 prints as "mov r1=r3", addl
 * with r3 = r0 as "mov r1=imm".
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/file.h"
#include "model/cpu/ia64/decode.h"

/* "ld.s" + size 3 + hint 1 -> "ld8.s.nt1"; names with a digit keep theirs. */
static void mem_mnemonic(const char *name, const struct ia64_insn *in, char *buf, size_t len)
{
    /* As GNU objdump names them: loads nt1/d2/nta, stores d1/d2/nta. */
    static const char *const ld_hints[4] = {"", ".nt1", ".d2", ".nta"};
    static const char *const st_hints[4] = {"", ".d1", ".d2", ".nta"};
    const char *const *hints = name[0] == 's' ? st_hints : ld_hints;
    const char *dot = strchr(name, '.');
    bool sized = !strpbrk(name, "0123456789");
    size_t base = dot ? (size_t)(dot - name) : strlen(name);
    if (sized)
        snprintf(buf, len, "%.*s%u%s%s", (int)base, name, 1u << in->size, dot ? dot : "",
                 hints[in->hint & 3]);
    else
        snprintf(buf, len, "%s%s", name, hints[in->hint & 3]);
}

/* Register names as GNU objdump prints them (application registers: Vol. 1
 * 3.1.8; control registers: Vol. 2 3.3); others print by number. */
static void ar_name(unsigned n, char *buf, size_t len)
{
    static const struct {
        unsigned n;
        const char *name;
    } ars[] = {{16, "rsc"},   {17, "bsp"}, {18, "bspstore"}, {19, "rnat"}, {21, "fcr"},
               {24, "eflag"}, {25, "csd"}, {26, "ssd"},      {27, "cflg"}, {28, "fsr"},
               {29, "fir"},   {30, "fdr"}, {32, "ccv"},      {36, "unat"}, {40, "fpsr"},
               {44, "itc"},   {45, "ruc"}, {64, "pfs"},      {65, "lc"},   {66, "ec"}};
    if (n < 8) {
        snprintf(buf, len, "ar.k%u", n);
        return;
    }
    for (size_t i = 0; i < sizeof(ars) / sizeof(ars[0]); i++)
        if (ars[i].n == n) {
            snprintf(buf, len, "ar.%s", ars[i].name);
            return;
        }
    snprintf(buf, len, "ar%u", n);
}

static void cr_name(unsigned n, char *buf, size_t len)
{
    static const struct {
        unsigned n;
        const char *name;
    } crs[] = {{0, "dcr"},  {1, "itm"},   {2, "iva"},   {8, "pta"},   {16, "ipsr"}, {17, "isr"},
               {19, "iip"}, {20, "ifa"},  {21, "itir"}, {22, "iipa"}, {23, "ifs"},  {24, "iim"},
               {25, "iha"}, {26, "iib0"}, {27, "iib1"}, {64, "lid"},  {65, "ivr"},  {66, "tpr"},
               {67, "eoi"}, {68, "irr0"}, {69, "irr1"}, {70, "irr2"}, {71, "irr3"}, {72, "itv"},
               {73, "pmv"}, {74, "cmcv"}, {80, "lrr0"}, {81, "lrr1"}};
    for (size_t i = 0; i < sizeof(crs) / sizeof(crs[0]); i++)
        if (crs[i].n == n) {
            snprintf(buf, len, "cr.%s", crs[i].name);
            return;
        }
    snprintf(buf, len, "cr%u", n);
}

/* Expand a FMT_PAT mnemonic (see insns.def). */
static void pattern(const char *pat, const struct ia64_insn *in, char *buf, size_t len)
{
    size_t at = 0;
    while (*pat && at + 1 < len) {
        if (*pat != '{') {
            buf[at++] = *pat++;
            continue;
        }
        const char *end = strchr(pat, '}');
        if (!end)
            break;
        char tok[16], val[32] = "";
        snprintf(tok, sizeof(tok), "%.*s", (int)(end - pat - 1), pat + 1);
        uint64_t s = in->raw;
        if (!strcmp(tok, "r1"))
            snprintf(val, sizeof(val), "r%u", in->r1);
        else if (!strcmp(tok, "r2"))
            snprintf(val, sizeof(val), "r%u", in->r2);
        else if (!strcmp(tok, "r3"))
            snprintf(val, sizeof(val), "r%u", in->r3);
        else if (!strcmp(tok, "ar3"))
            ar_name(in->r3, val, sizeof(val));
        else if (!strcmp(tok, "cr3"))
            cr_name(in->r3, val, sizeof(val));
        else if (!strcmp(tok, "b2"))
            snprintf(val, sizeof(val), "b%u", (unsigned)((s >> 13) & 7));
        else if (!strcmp(tok, "p1"))
            snprintf(val, sizeof(val), "p%u", (unsigned)((s >> 6) & 63));
        else if (!strcmp(tok, "p2"))
            snprintf(val, sizeof(val), "p%u", (unsigned)((s >> 27) & 63));
        else if (!strcmp(tok, "pos6"))
            snprintf(val, sizeof(val), "%u", (unsigned)((s >> 14) & 63));
        else if (!strcmp(tok, "mask17")) { /* s 36 : mask8c 31:24 : mask7a 12:6 : 0 */
            uint64_t m = ((s >> 36) & 1) << 16 | ((s >> 24) & 0xff) << 8 | ((s >> 6) & 0x7f) << 1;
            snprintf(val, sizeof(val), "0x%" PRIx64,
                     (uint64_t)((m & 0x10000) ? m | ~(uint64_t)0x1ffff : m));
        } else if (!strcmp(tok, "imm44")) { /* s 36 : imm27a 32:6, << 16 */
            uint64_t m = ((s >> 36) & 1) << 43 | ((s >> 6) & 0x7ffffff) << 16;
            snprintf(val, sizeof(val), "0x%" PRIx64,
                     (uint64_t)((m >> 43) & 1 ? m | ~(((uint64_t)1 << 44) - 1) : m));
        } else if (!strcmp(tok, "count6"))
            snprintf(val, sizeof(val), "%u", (unsigned)((s >> 27) & 63));
        else if (!strcmp(tok, "len6"))
            snprintf(val, sizeof(val), "%u", (unsigned)((s >> 27) & 63) + 1);
        else if (!strcmp(tok, "len4"))
            snprintf(val, sizeof(val), "%u", (unsigned)((s >> 27) & 15) + 1);
        else if (!strcmp(tok, "pos6b"))
            snprintf(val, sizeof(val), "%u", 63 - (unsigned)((s >> 14) & 63));
        else if (!strcmp(tok, "pos6c"))
            snprintf(val, sizeof(val), "%u", 63 - (unsigned)((s >> 20) & 63));
        else if (!strcmp(tok, "pos6d"))
            snprintf(val, sizeof(val), "%u", 63 - (unsigned)((s >> 31) & 63));
        else if (!strcmp(tok, "imm1"))
            snprintf(val, sizeof(val), "%d", (s >> 36) & 1 ? -1 : 0);
        else if (!strcmp(tok, "sof"))
            snprintf(val, sizeof(val), "%u", (unsigned)((s >> 13) & 127));
        else if (!strcmp(tok, "sol"))
            snprintf(val, sizeof(val), "%u", (unsigned)((s >> 20) & 127));
        else if (!strcmp(tok, "sor"))
            snprintf(val, sizeof(val), "%u", (unsigned)((s >> 27) & 15) * 8);
        else if (!strcmp(tok, "imm8")) /* s 36 : imm7b 19:13, signed */
            snprintf(val, sizeof(val), "%d",
                     (int)((((s >> 36) & 1) << 7 | ((s >> 13) & 0x7f)) ^ 0x80) - 0x80);
        else if (!strcmp(tok, "imm24"))
            snprintf(val, sizeof(val), "0x%" PRIx64,
                     ((s >> 36) & 1) << 23 | ((s >> 31) & 3) << 21 | ((s >> 6) & 0x1fffff));
        at += (size_t)snprintf(buf + at, len - at, "%s", val);
        if (at >= len)
            at = len - 1;
        pat = end + 1;
    }
    buf[at] = '\0';
}

/* "br.cond" + hints -> "br.cond.sptk.few.clr", or objdump's "br.few". */
static void br_mnemonic(const struct ia64_form_info *f, const struct ia64_insn *in, char *buf,
                        size_t len)
{
    static const char *const wh[4] = {"sptk", "spnt", "dptk", "dpnt"};
    const char *ph = in->ph ? "many" : "few", *dh = in->dh ? ".clr" : "";
    const char *name = f->mnemonic + (f->mnemonic[0] == '!');
    if (!strcmp(name, "br.cond") && in->qp == 0 && in->wh == 0)
        snprintf(buf, len, "br.%s%s", ph, dh);
    else if (!strcmp(name, "brl.cond") && in->qp == 0 && in->wh == 0)
        snprintf(buf, len, "brl.%s%s", ph, dh);
    else
        snprintf(buf, len, "%s.%s.%s%s", name, wh[in->wh], ph, dh);
}

void ia64_disasm_slot(const struct ia64_bundle *b, unsigned i, char *buf, size_t len)
{
    const struct ia64_insn *in = &b->insn[i];
    size_t at = 0;
    if (in->form >= IA64_NFORMS) {
        snprintf(buf, len, "<unsupported slot 0x%011" PRIx64 ">", in->raw);
        return;
    }
    const struct ia64_form_info *f = &ia64_forms[in->form];
    if (in->qp && f->mnemonic[0] != '!')
        at = (size_t)snprintf(buf, len, "(p%02u) ", in->qp);
    char *o = buf + at;
    size_t ol = len > at ? len - at : 0;
    switch (f->fmt) {
    case FMT_A1:
        snprintf(o, ol, "%s r%u=r%u,r%u", f->mnemonic, in->r1, in->r2, in->r3);
        break;
    case FMT_A1_1:
        snprintf(o, ol, "%s r%u=r%u,r%u,1", f->mnemonic, in->r1, in->r2, in->r3);
        break;
    case FMT_A6:
        snprintf(o, ol, "%s p%u,p%u=r%u,r%u", f->mnemonic, in->p1, in->p2, in->r2, in->r3);
        break;
    case FMT_A7:
        snprintf(o, ol, "%s p%u,p%u=r0,r%u", f->mnemonic, in->p1, in->p2, in->r3);
        break;
    case FMT_A8:
        snprintf(o, ol, "%s p%u,p%u=%" PRId64 ",r%u", f->mnemonic, in->p1, in->p2, in->imm, in->r3);
        break;
    case FMT_A2:
        snprintf(o, ol, "%s r%u=r%u,%" PRId64 ",r%u", f->mnemonic, in->r1, in->r2, in->imm, in->r3);
        break;
    case FMT_A3:
        snprintf(o, ol, "%s r%u=%" PRId64 ",r%u", f->mnemonic, in->r1, in->imm, in->r3);
        break;
    case FMT_M1:
    case FMT_M2:
    case FMT_M3:
    case FMT_M4:
    case FMT_M5:
    case FMT_M16:
    case FMT_M16X:
    case FMT_M17: {
        char mn[48];
        mem_mnemonic(f->mnemonic, in, mn, sizeof(mn));
        if (f->fmt == FMT_M1)
            snprintf(o, ol, "%s r%u=[r%u]", mn, in->r1, in->r3);
        else if (f->fmt == FMT_M2)
            snprintf(o, ol, "%s r%u=[r%u],r%u", mn, in->r1, in->r3, in->r2);
        else if (f->fmt == FMT_M3)
            snprintf(o, ol, "%s r%u=[r%u],%" PRId64, mn, in->r1, in->r3, in->imm);
        else if (f->fmt == FMT_M4)
            snprintf(o, ol, "%s [r%u]=r%u", mn, in->r3, in->r2);
        else if (f->fmt == FMT_M16)
            snprintf(o, ol, "%s r%u=[r%u],r%u,ar.ccv", mn, in->r1, in->r3, in->r2);
        else if (f->fmt == FMT_M16X)
            snprintf(o, ol, "%s r%u=[r%u],r%u", mn, in->r1, in->r3, in->r2);
        else if (f->fmt == FMT_M17)
            snprintf(o, ol, "%s r%u=[r%u],%" PRId64, mn, in->r1, in->r3, in->imm);
        else
            snprintf(o, ol, "%s [r%u]=r%u,%" PRId64, mn, in->r3, in->r2, in->imm);
        break;
    }
    case FMT_A4:
        if (in->form == IA64_ADDS && in->imm == 0)
            snprintf(o, ol, "mov r%u=r%u", in->r1, in->r3);
        else
            snprintf(o, ol, "%s r%u=%" PRId64 ",r%u", f->mnemonic, in->r1, in->imm, in->r3);
        break;
    case FMT_A5:
        if (in->r3 == 0)
            snprintf(o, ol, "mov r%u=%" PRId64, in->r1, in->imm);
        else
            snprintf(o, ol, "%s r%u=%" PRId64 ",r%u", f->mnemonic, in->r1, in->imm, in->r3);
        break;
    case FMT_BR:
    case FMT_BR_CALL:
    case FMT_BR_IND:
    case FMT_BR_CALLI:
    case FMT_BRL:
    case FMT_BRL_CALL: {
        char mn[48];
        br_mnemonic(f, in, mn, sizeof(mn));
        uint64_t target = b->ip + (uint64_t)in->imm;
        if (f->fmt == FMT_BR || f->fmt == FMT_BRL)
            snprintf(o, ol, "%s 0x%" PRIx64, mn, target);
        else if (f->fmt == FMT_BR_CALL || f->fmt == FMT_BRL_CALL)
            snprintf(o, ol, "%s b%u=0x%" PRIx64, mn, in->b1, target);
        else if (f->fmt == FMT_BR_IND)
            snprintf(o, ol, "%s b%u", mn, in->b2);
        else
            snprintf(o, ol, "%s b%u=b%u", mn, in->b1, in->b2);
        break;
    }
    case FMT_MOVBR: { /* mov[.ret][.wh][.imp] b1=r2[,tag] */
        static const char *const wh[4] = {".sptk", "", ".dptk", ""}; /* 3: not decoded */
        char mn[48];
        snprintf(mn, sizeof(mn), "mov%s%s%s", in->ph ? ".ret" : "", wh[in->wh],
                 in->dh ? ".imp" : "");
        if (!in->ph && in->wh == 1 && !in->dh)
            snprintf(o, ol, "%s b%u=r%u", mn, in->b1, in->r2);
        else
            snprintf(o, ol, "%s b%u=r%u,0x%" PRIx64, mn, in->b1, in->r2, b->ip + (uint64_t)in->imm);
        break;
    }
    case FMT_EXTR: /* extr r1=r3,pos,len; to bit 63 it is a shift right */
        if (in->p1 + in->p2 == 64)
            snprintf(o, ol, "%s r%u=r%u,%u", in->form == IA64_EXTR ? "shr" : "shr.u", in->r1,
                     in->r3, in->p1);
        else
            snprintf(o, ol, "%s r%u=r%u,%u,%u", f->mnemonic, in->r1, in->r3, in->p1, in->p2);
        break;
    case FMT_DEPZ: /* dep.z r1=r2,pos,len; to bit 63 it is a shift left */
        if (in->p1 + in->p2 == 64)
            snprintf(o, ol, "shl r%u=r%u,%u", in->r1, in->r2, in->p1);
        else
            snprintf(o, ol, "%s r%u=r%u,%u,%u", f->mnemonic, in->r1, in->r2, in->p1, in->p2);
        break;
    case FMT_PAT:
        pattern(f->mnemonic + (f->mnemonic[0] == '!'), in, o, ol);
        break;
    case FMT_IMM21:
    case FMT_X1:
        snprintf(o, ol, "%s 0x%" PRIx64, f->mnemonic, (uint64_t)in->imm);
        break;
    case FMT_X2:
        snprintf(o, ol, "%s r%u=0x%" PRIx64, f->mnemonic, in->r1, (uint64_t)in->imm);
        break;
    }
}

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void print_bundle(FILE *out, uint64_t addr, const uint8_t *bytes)
{
    struct ia64_bundle b;
    char text[128];
    ia64_decode_bundle(bytes, &b);
    b.ip = addr;
    for (unsigned i = 0; i < 3; i++) {
        if (b.unit[i] == U_L)
            continue;
        ia64_disasm_slot(&b, i, text, sizeof(text));
        bool stop = (b.stop >> i) & 1;
        fprintf(out, "%8" PRIx64 ": %s%s%s%s%s\n", addr + i * 6, i == 0 ? "[" : "",
                i == 0 ? ia64_template_name(b.tmpl) : "", i == 0 ? "] " : "", text,
                stop ? ";;" : "");
    }
}

int ia64_disasm_elf(const char *path, FILE *out, char *err, size_t errlen)
{
    char *buf;
    size_t len;
    int rc = file_read_all(path, 256u << 20, &buf, &len);
    if (rc) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(rc));
        return -1;
    }
    const uint8_t *b = (const uint8_t *)buf;
    rc = -1;
    if (len < 64 ||
        memcmp(b,
               "\x7f"
               "ELF",
               4) != 0 ||
        b[4] != 2 || b[5] != 1 || rd(b + 18, 2) != 50) {
        snprintf(err, errlen, "%s: not a little-endian ELF64 IA-64 file", path);
        goto out;
    }
    uint64_t shoff = rd(b + 40, 8);
    unsigned shentsize = (unsigned)rd(b + 58, 2), shnum = (unsigned)rd(b + 60, 2);
    if (shentsize < 64 || shoff > len || (uint64_t)shnum * shentsize > len - shoff) {
        snprintf(err, errlen, "%s: section headers outside the file", path);
        goto out;
    }
    for (unsigned i = 0; i < shnum; i++) {
        const uint8_t *sh = b + shoff + (uint64_t)i * shentsize;
        uint64_t type = rd(sh + 4, 4), flags = rd(sh + 8, 8), addr = rd(sh + 16, 8);
        uint64_t off = rd(sh + 24, 8), size = rd(sh + 32, 8);
        if (type != 1 /* PROGBITS */ || !(flags & 4 /* EXECINSTR */))
            continue;
        if (off > len || size > len - off) {
            snprintf(err, errlen, "%s: section %u outside the file", path, i);
            goto out;
        }
        for (uint64_t k = 0; k + 16 <= size; k += 16)
            print_bundle(out, addr + k, b + off + k);
    }
    rc = 0;
out:
    free(buf);
    return rc;
}
