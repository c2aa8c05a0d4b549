/*
 * bench.c - the IA-32 speed benchmark of scripts/bench: compiled C that
 * looks like ordinary integer code (a CRC over a buffer, a sort of
 * pseudo-random keys, a small integer matrix product and block copies),
 * repeated for a fixed number of rounds.  It prints a checksum so that a
 * change in the model's behaviour shows as a change in output, and runs
 * unchanged on QEMU.
 */
#include "ctl.h"

#define ROUNDS 100
#define N      512
#define M      16

typedef unsigned int u32;

static u32 buf[N], keys[N], copy[N];
static int ma[M][M], mb[M][M], mc[M][M];

static u32 crc32(const unsigned char *p, u32 n)
{
    u32 c = 0xFFFFFFFFu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

static void sort(u32 *a, int n)
{
    /* Shell sort: branchy, data-dependent, no recursion. */
    for (int gap = n / 2; gap > 0; gap /= 2)
        for (int i = gap; i < n; i++) {
            u32 t = a[i];
            int j = i;
            for (; j >= gap && a[j - gap] > t; j -= gap)
                a[j] = a[j - gap];
            a[j] = t;
        }
}

static void matmul(void)
{
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            int s = 0;
            for (int k = 0; k < M; k++)
                s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
}

static void put_hex(u32 v)
{
    char s[11] = "0x";
    for (int i = 0; i < 8; i++)
        s[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    s[10] = 0;
    ctl_puts(s);
}

int main(void)
{
    u32 seed = 12345, sum = 0;
    for (int i = 0; i < N; i++)
        buf[i] = seed = seed * 1103515245u + 12345u;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            ma[i][j] = (int)(i * 3 + j) - 20;
            mb[i][j] = (int)(j * 5 - i) + 7;
        }
    for (int r = 0; r < ROUNDS; r++) {
        sum ^= crc32((const unsigned char *)buf, sizeof(buf));
        for (int i = 0; i < N; i++)
            keys[i] = buf[i] ^ (u32)r * 0x9E3779B9u;
        sort(keys, N);
        sum += keys[N / 2];
        matmul();
        sum += (u32)mc[r % M][(r * 7) % M];
        __builtin_memcpy(copy, keys, sizeof(copy));
        buf[r % N] ^= copy[(r * 13) % N];
    }
    ctl_puts("bench checksum ");
    put_hex(sum);
    ctl_puts("\n");
    return 0;
}
