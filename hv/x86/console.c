/*
 * console.c - formatted output on the control device's console port.
 */
#include "console.h"

#include <stdarg.h>

#include "io.h"

#define CON_PORT      0xE9
#define EXIT_PORT     0xF4
#define CTL_PORT_ARG  0xE0
#define CTL_PORT_CMD  0xE4
#define CTL_HVSTAT_SE 11 /* select a ctl.hv.* stat (model/platform/ctl.h) */
#define CTL_HVSTAT_AD 12 /* add to it */

static void put_char(char c)
{
    outb(CON_PORT, (uint8_t)c);
}

static void put_uint(uint32_t v, unsigned base, unsigned width, char pad)
{
    char buf[12];
    unsigned n = 0;
    do {
        unsigned d = v % base;
        buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    for (; width > n; width--)
        put_char(pad);
    while (n)
        put_char(buf[--n]);
}

static void vprint(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put_char(*fmt);
            continue;
        }
        char pad = ' ';
        unsigned width = 0;
        if (*++fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (unsigned)(*fmt++ - '0');
        switch (*fmt) {
        case 's':
            for (const char *s = va_arg(ap, const char *); *s; s++)
                put_char(*s);
            break;
        case 'c':
            put_char((char)va_arg(ap, int));
            break;
        case 'u':
            put_uint(va_arg(ap, unsigned), 10, width, pad);
            break;
        case 'd': {
            int v = va_arg(ap, int);
            if (v < 0) {
                put_char('-');
                v = -v;
            }
            put_uint((uint32_t)v, 10, width, pad);
            break;
        }
        case 'x':
            put_uint(va_arg(ap, unsigned), 16, width, pad);
            break;
        case '%':
            put_char('%');
            break;
        default:
            return;
        }
    }
}

void con_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
}

void con_exit(unsigned status)
{
    for (;;) {
        outb(EXIT_PORT, (uint8_t)status);
        __asm__ volatile("hlt");
    }
}

void vmm_panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    con_printf("vmm: panic: ");
    vprint(fmt, ap);
    con_printf("\n");
    va_end(ap);
    con_exit(1);
}

/* Select the row, then add 32 bits at a time (the IA-32 ARG port is 32
 * bits wide). */
void con_hvstat(uint32_t id, uint64_t val)
{
    if (!val)
        return;
    outl(CTL_PORT_ARG, id);
    outb(CTL_PORT_CMD, CTL_HVSTAT_SE);
    while (val) {
        uint32_t part = val > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)val;
        outl(CTL_PORT_ARG, part);
        outb(CTL_PORT_CMD, CTL_HVSTAT_AD);
        val -= part;
    }
}
