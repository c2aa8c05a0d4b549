/*
 * scripted_hart.c - a hart driven by a script (the format is in
 * scripted_hart.h).
 *
 * The parser keeps one private copy of the text and cuts it into tokens in
 * place, so op names and causes are pointers into that copy and no line or
 * name has a length limit.  Numbers are parsed by hand: decimal digits only,
 * overflow rejected, so "-1" is an error rather than a huge count.
 *
 * Each post op owns one event context per hart, built when the hart is made,
 * so any number of events may be pending at once and none allocates.
 */
#include "scripted_hart.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum op_kind {
    OP_STEP,
    OP_PHASE_BEGIN,
    OP_PHASE_END,
    OP_POST_WAKE,
    OP_POST_STOP,
    OP_HALT,
    OP_EXIT,
    OP_FATAL,
    OP_LOOP,
};

struct op {
    enum op_kind kind;
    unsigned line;    /* line in the text, for late errors (loop targets) */
    uint64_t a;       /* step: cycles; post: delay; loop: target */
    uint64_t b;       /* step: retired; post wake: hart */
    uint64_t n;       /* step: repeat count */
    int status;       /* exit, post stop */
    const char *text; /* phase name, fatal cause: into script->buf */
    char head[4];     /* the op's first characters as written (fatal bytes) */
    unsigned nhead;
};

struct script {
    char *buf;      /* the text, cut into tokens */
    struct op *ops; /* in order */
    unsigned nops;  /* ops used */
    unsigned cap;   /* ops allocated */
};

/* An event posted by a post op: which hart and which op. */
struct post_ctx {
    struct scripted_hart *sh;
    const struct op *op;
};

struct scripted_hart {
    struct hart hart;        /* the scheduler's view; impl points back here */
    const struct script *s;  /* the script run (not owned) */
    struct sched *sched;     /* for posts, stops and wakes (not owned) */
    struct scripted_ctx ctx; /* the test's hooks */
    unsigned pc;             /* the next op, s->nops once past the end */
    uint64_t rep;            /* steps done of the current step op */
    uint64_t steps;          /* all steps taken */
    struct post_ctx *posts;  /* one per op, used by post ops */
    size_t ntrace;           /* entries used in trace */
    struct scripted_trace trace[SCRIPTED_TRACE_MAX];
};

/* ---- parsing ---- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool parse_u64(const char *t, uint64_t *v)
{
    uint64_t x = 0;
    if (!*t)
        return false;
    for (; *t; t++) {
        if (*t < '0' || *t > '9')
            return false;
        unsigned d = (unsigned)(*t - '0');
        if (x > (UINT64_MAX - d) / 10)
            return false;
        x = x * 10 + d;
    }
    *v = x;
    return true;
}

static bool parse_int(const char *t, int *v)
{
    bool neg = *t == '-';
    uint64_t x;
    if (!parse_u64(t + neg, &x) || x > (uint64_t)INT_MAX + neg)
        return false;
    *v = neg ? (int)-(int64_t)x : (int)x;
    return true;
}

#define MAX_TOKENS 5

/* Split line (NUL-terminated, modified) into at most MAX_TOKENS tokens; the
 * count, or MAX_TOKENS + 1 if there are more (no op takes that many, so the
 * caller reports the surplus from the tokens it has). */
static unsigned tokenize(char *line, char **tok)
{
    unsigned n = 0;
    for (;;) {
        while (is_space(*line))
            line++;
        if (!*line)
            return n;
        if (n == MAX_TOKENS)
            return n + 1;
        tok[n++] = line;
        while (*line && !is_space(*line))
            line++;
        if (*line)
            *line++ = '\0';
    }
}

/* Parse the operands of one op whose keyword is tok[0]. */
static int parse_operands(struct op *op, char **tok, unsigned nt, char *err, size_t errlen)
{
    const char *kw = tok[0];
    unsigned want = 1;
    if (strcmp(kw, "step") == 0) {
        op->kind = OP_STEP;
        op->n = 1;
        if (nt < 3) {
            set_err(err, errlen, "step needs CYCLES RETIRED [xN]");
            return -1;
        }
        if (!parse_u64(tok[1], &op->a)) {
            set_err(err, errlen, "step: CYCLES '%s' is not a count", tok[1]);
            return -1;
        }
        if (!parse_u64(tok[2], &op->b)) {
            set_err(err, errlen, "step: RETIRED '%s' is not a count", tok[2]);
            return -1;
        }
        if (nt >= 4 && (tok[3][0] != 'x' || !parse_u64(tok[3] + 1, &op->n) || op->n == 0)) {
            set_err(err, errlen, "step: repeat '%s' is not xN with N >= 1", tok[3]);
            return -1;
        }
        want = nt >= 4 ? 4 : 3;
    } else if (strcmp(kw, "phase_begin") == 0 || strcmp(kw, "phase_end") == 0) {
        op->kind = kw[6] == 'b' ? OP_PHASE_BEGIN : OP_PHASE_END;
        if (nt < 2) {
            set_err(err, errlen, "%s needs a NAME", kw);
            return -1;
        }
        op->text = tok[1];
        want = 2;
    } else if (strcmp(kw, "post") == 0) {
        if (nt < 4 || !parse_u64(tok[1], &op->a)) {
            set_err(err, errlen, "post needs DELAY wake HART or DELAY stop STATUS");
            return -1;
        }
        if (strcmp(tok[2], "wake") == 0) {
            op->kind = OP_POST_WAKE;
            if (!parse_u64(tok[3], &op->b) || op->b > UINT_MAX) {
                set_err(err, errlen, "post: hart '%s' is not a hart number", tok[3]);
                return -1;
            }
        } else if (strcmp(tok[2], "stop") == 0) {
            op->kind = OP_POST_STOP;
            if (!parse_int(tok[3], &op->status)) {
                set_err(err, errlen, "post: status '%s' is not an int", tok[3]);
                return -1;
            }
        } else {
            set_err(err, errlen, "post: '%s' is neither wake nor stop", tok[2]);
            return -1;
        }
        want = 4;
    } else if (strcmp(kw, "halt") == 0) {
        op->kind = OP_HALT;
    } else if (strcmp(kw, "exit") == 0) {
        op->kind = OP_EXIT;
        if (nt < 2 || !parse_int(tok[1], &op->status)) {
            set_err(err, errlen, "exit needs an int STATUS");
            return -1;
        }
        want = 2;
    } else if (strcmp(kw, "loop") == 0) {
        op->kind = OP_LOOP;
        if (nt < 2 || !parse_u64(tok[1], &op->a)) {
            set_err(err, errlen, "loop needs an op index N");
            return -1;
        }
        want = 2;
    } else {
        set_err(err, errlen, "unknown op '%s'", kw);
        return -1;
    }
    if (nt > want) {
        set_err(err, errlen, "unexpected '%s' after %s", tok[want], kw);
        return -1;
    }
    return 0;
}

/* Parse one line (comment already cut off).  1 if it holds an op (in *op),
 * 0 if blank, -1 on error (message without the line number). */
static int parse_line(char *line, struct op *op, char *err, size_t errlen)
{
    while (is_space(*line))
        line++;
    if (!*line)
        return 0;
    op->nhead = 0;
    while (op->nhead < sizeof(op->head) && line[op->nhead]) {
        op->head[op->nhead] = line[op->nhead];
        op->nhead++;
    }
    /* fatal takes the rest of the line verbatim, so it is cut by hand. */
    if (strncmp(line, "fatal", 5) == 0 && (!line[5] || is_space(line[5]))) {
        char *cause = line + 5, *end;
        while (is_space(*cause))
            cause++;
        end = cause + strlen(cause);
        while (end > cause && is_space(end[-1]))
            *--end = '\0';
        if (!*cause) {
            set_err(err, errlen, "fatal needs a CAUSE");
            return -1;
        }
        op->kind = OP_FATAL;
        op->text = cause;
        return 1;
    }
    char *tok[MAX_TOKENS];
    unsigned nt = tokenize(line, tok);
    return parse_operands(op, tok, nt, err, errlen) == 0 ? 1 : -1;
}

static int script_push(struct script *s, const struct op *op)
{
    if (s->nops == s->cap) {
        unsigned cap = s->cap ? s->cap * 2 : 16;
        struct op *ops = realloc(s->ops, cap * sizeof(*ops));
        if (!ops)
            return -1;
        s->ops = ops;
        s->cap = cap;
    }
    s->ops[s->nops++] = *op;
    return 0;
}

int scripted_parse(const char *text, struct script **out, char *err, size_t errlen)
{
    struct script *s = NULL;
    if (out)
        *out = NULL;
    if (!text || !out) {
        set_err(err, errlen, "no script");
        return -1;
    }
    s = calloc(1, sizeof(*s));
    if (!s || !(s->buf = strdup(text)))
        goto oom;
    unsigned lineno = 0;
    for (char *line = s->buf; line; lineno++) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        struct op op = {.line = lineno + 1};
        char msg[160];
        int rc = parse_line(line, &op, msg, sizeof(msg));
        if (rc < 0) {
            set_err(err, errlen, "line %u: %s", lineno + 1, msg);
            goto fail;
        }
        if (rc > 0 && script_push(s, &op) != 0)
            goto oom;
        line = nl ? nl + 1 : NULL;
    }
    for (unsigned i = 0; i < s->nops; i++)
        if (s->ops[i].kind == OP_LOOP && s->ops[i].a >= s->nops) {
            set_err(err, errlen, "line %u: loop target %llu is past the last op (%u ops)",
                    s->ops[i].line, (unsigned long long)s->ops[i].a, s->nops);
            goto fail;
        }
    *out = s;
    return 0;
oom:
    set_err(err, errlen, "out of memory");
fail:
    script_free(s);
    return -1;
}

unsigned script_len(const struct script *s)
{
    return s ? s->nops : 0;
}

void script_free(struct script *s)
{
    if (!s)
        return;
    free(s->ops);
    free(s->buf);
    free(s);
}

/* ---- running ---- */

static void on_post(void *ctx, uint64_t now)
{
    const struct post_ctx *pc = ctx;
    if (pc->op->kind == OP_POST_WAKE)
        sched_wake(pc->sh->sched, (unsigned)pc->op->b, now);
    else
        sched_stop(pc->sh->sched, pc->op->status, "scripted stop event");
}

static enum step_status fail(struct hart *h, unsigned pc, const struct op *op, const char *cause)
{
    h->fatal.ip = pc;
    memset(h->fatal.bytes, 0, sizeof(h->fatal.bytes));
    memcpy(h->fatal.bytes, op->head, op->nhead);
    h->fatal.nbytes = op->nhead;
    snprintf(h->fatal.cause, sizeof(h->fatal.cause), "%s", cause);
    return STEP_FATAL;
}

static enum step_status scripted_step(struct hart *h, uint64_t now, struct step_out *out)
{
    struct scripted_hart *sh = h->impl;
    unsigned pc = sh->pc;
    if (sh->ntrace < SCRIPTED_TRACE_MAX)
        sh->trace[sh->ntrace++] = (struct scripted_trace){pc, now};
    sh->steps++;
    out->cycles = 1;
    out->retired = 0;
    if (pc >= sh->s->nops)
        return STEP_HALT;
    const struct op *op = &sh->s->ops[pc];
    sh->pc = pc + 1;
    switch (op->kind) {
    case OP_STEP:
        out->cycles = op->a;
        out->retired = op->b;
        if (++sh->rep < op->n)
            sh->pc = pc;
        else
            sh->rep = 0;
        return STEP_OK;
    case OP_PHASE_BEGIN:
    case OP_PHASE_END:
        if (sh->ctx.phase)
            sh->ctx.phase(sh->ctx.opaque, op->text, op->kind == OP_PHASE_BEGIN);
        return STEP_OK;
    case OP_POST_WAKE:
    case OP_POST_STOP: {
        uint64_t when = now + op->a < now ? UINT64_MAX : now + op->a;
        if (sched_post(sh->sched, when, on_post, &sh->posts[pc]) == 0) {
            sh->pc = pc;
            return fail(h, pc, op, "cannot post an event");
        }
        return STEP_OK;
    }
    case OP_HALT:
        return STEP_HALT;
    case OP_EXIT:
        sched_stop(sh->sched, op->status, "guest exit request");
        return STEP_OK;
    case OP_FATAL:
        sh->pc = pc; /* a fatal error does not retire */
        return fail(h, pc, op, op->text);
    case OP_LOOP:
        sh->pc = (unsigned)op->a;
        return STEP_OK;
    }
    return STEP_OK;
}

static const struct hart_ops scripted_ops = {.step = scripted_step};

struct scripted_hart *scripted_hart_new(const struct script *s, struct sched *sched,
                                        const struct scripted_ctx *ctx)
{
    if (!s || !sched)
        return NULL;
    struct scripted_hart *sh = calloc(1, sizeof(*sh));
    if (!sh)
        return NULL;
    sh->posts = calloc(s->nops ? s->nops : 1, sizeof(*sh->posts));
    if (!sh->posts) {
        free(sh);
        return NULL;
    }
    for (unsigned i = 0; i < s->nops; i++)
        sh->posts[i] = (struct post_ctx){sh, &s->ops[i]};
    sh->hart.ops = &scripted_ops;
    sh->hart.impl = sh;
    sh->s = s;
    sh->sched = sched;
    if (ctx)
        sh->ctx = *ctx;
    return sh;
}

struct hart *scripted_hart_hart(struct scripted_hart *sh)
{
    return &sh->hart;
}

const struct scripted_trace *scripted_hart_trace(const struct scripted_hart *sh, size_t *n)
{
    *n = sh->ntrace;
    return sh->trace;
}

uint64_t scripted_hart_steps(const struct scripted_hart *sh)
{
    return sh->steps;
}

void scripted_hart_free(struct scripted_hart *sh)
{
    if (!sh)
        return;
    free(sh->posts);
    free(sh);
}
