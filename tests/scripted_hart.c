/*
 * scripted_hart.c - a hart driven by a script (see scripted_hart.h).
 */
#include "scripted_hart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum op_kind {
    OP_STEP,
    OP_PHASE_BEGIN,
    OP_PHASE_END,
    OP_WAKE,
    OP_STOP,
    OP_HALT,
    OP_EXIT,
    OP_FATAL,
    OP_LOOP
};

struct op {
    enum op_kind kind;
    uint64_t a, b, n; /* step: cycles, retired, repeat; post: delay, arg; exit: status */
    char text[64];    /* phase name / fatal cause */
    char head[4];     /* first characters of the line (fatal bytes) */
};

struct script {
    struct op *ops;
    unsigned nops;
};

struct scripted_hart {
    struct hart hart;
    const struct script *s;
    struct sched *sched;
    struct scripted_ctx ctx;
    unsigned pc;
    uint64_t rep; /* steps done of the current step op */
    struct trace_entry trace[SCRIPTED_TRACE_MAX];
    size_t ntrace;
    /* Event arguments live here, not on the heap, so events still pending
     * when a run ends leak nothing; reused round-robin. */
    struct post_arg {
        struct scripted_hart *sh;
        enum op_kind kind;
        uint64_t arg;
    } posts[64];
    unsigned npost;
};

static int parse_line(char *line, struct op *op, char *err, size_t errlen, unsigned lineno)
{
    char word[32], rest[64] = "";
    unsigned long long a = 0, b = 0, n = 1;
    memcpy(op->head, line, 4);
    if (sscanf(line, "%31s", word) != 1)
        return 1; /* blank */
    if (strcmp(word, "step") == 0) {
        int k = sscanf(line, "step %llu %llu x%llu", &a, &b, &n);
        if (k < 2 || n == 0)
            goto bad;
        *op = (struct op){.kind = OP_STEP, .a = a, .b = b, .n = n};
    } else if (strcmp(word, "phase_begin") == 0 || strcmp(word, "phase_end") == 0) {
        if (sscanf(line, "%*s %63s", rest) != 1)
            goto bad;
        op->kind = word[6] == 'b' ? OP_PHASE_BEGIN : OP_PHASE_END;
        snprintf(op->text, sizeof(op->text), "%s", rest);
    } else if (strcmp(word, "post") == 0) {
        char what[16];
        if (sscanf(line, "post %llu %15s %llu", &a, what, &b) != 3)
            goto bad;
        if (strcmp(what, "wake") == 0)
            op->kind = OP_WAKE;
        else if (strcmp(what, "stop") == 0)
            op->kind = OP_STOP;
        else
            goto bad;
        op->a = a;
        op->b = b;
    } else if (strcmp(word, "halt") == 0) {
        op->kind = OP_HALT;
    } else if (strcmp(word, "exit") == 0) {
        if (sscanf(line, "exit %llu", &a) != 1)
            goto bad;
        op->kind = OP_EXIT;
        op->a = a;
    } else if (strcmp(word, "fatal") == 0) {
        op->kind = OP_FATAL;
        const char *c = strstr(line, "fatal") + 5;
        while (*c == ' ')
            c++;
        snprintf(op->text, sizeof(op->text), "%s", c);
    } else if (strcmp(word, "loop") == 0) {
        if (sscanf(line, "loop %llu", &a) != 1)
            goto bad;
        op->kind = OP_LOOP;
        op->a = a;
    } else {
        goto bad;
    }
    memcpy(op->head, line, 4);
    return 0;
bad:
    snprintf(err, errlen, "line %u: cannot parse '%s'", lineno, line);
    return -1;
}

int scripted_parse(const char *text, struct script **out, char *err, size_t errlen)
{
    struct script *s = calloc(1, sizeof(*s));
    unsigned cap = 0, lineno = 0;
    *out = NULL;
    if (!s)
        return -1;
    while (*text) {
        char line[256];
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        snprintf(line, sizeof(line), "%.*s", (int)len, text);
        text += len + (nl ? 1 : 0);
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *start = line;
        while (*start == ' ' || *start == '\t')
            start++;
        if (!*start)
            continue;
        if (s->nops == cap) {
            cap = cap ? cap * 2 : 16;
            struct op *no = realloc(s->ops, cap * sizeof(*no));
            if (!no)
                goto fail;
            s->ops = no;
        }
        struct op op = {0};
        int rc = parse_line(start, &op, err, errlen, lineno);
        if (rc < 0)
            goto fail;
        if (rc == 0)
            s->ops[s->nops++] = op;
    }
    for (unsigned i = 0; i < s->nops; i++)
        if (s->ops[i].kind == OP_LOOP && s->ops[i].a >= s->nops) {
            snprintf(err, errlen, "loop target %llu beyond the last op",
                     (unsigned long long)s->ops[i].a);
            goto fail;
        }
    *out = s;
    return 0;
fail:
    script_free(s);
    return -1;
}

void script_free(struct script *s)
{
    if (!s)
        return;
    free(s->ops);
    free(s);
}

static void on_event(void *arg, uint64_t now)
{
    struct post_arg *pa = arg;
    if (pa->kind == OP_WAKE)
        sched_wake(pa->sh->sched, (unsigned)pa->arg, now);
    else
        sched_stop(pa->sh->sched, (int)pa->arg, "scripted stop event");
}

static enum step_status step(struct hart *h, uint64_t now, struct step_out *out)
{
    struct scripted_hart *sh = (struct scripted_hart *)h;
    if (sh->pc >= sh->s->nops) {
        out->cycles = 1;
        return STEP_HALT;
    }
    const struct op *op = &sh->s->ops[sh->pc];
    if (sh->ntrace < SCRIPTED_TRACE_MAX)
        sh->trace[sh->ntrace++] = (struct trace_entry){sh->pc, now};
    out->cycles = 1;
    out->retired = 0;
    switch (op->kind) {
    case OP_STEP:
        out->cycles = op->a;
        out->retired = op->b;
        if (++sh->rep == op->n) {
            sh->rep = 0;
            sh->pc++;
        }
        return STEP_OK;
    case OP_PHASE_BEGIN:
    case OP_PHASE_END:
        if (sh->ctx.phase)
            sh->ctx.phase(sh->ctx.opaque, op->text, op->kind == OP_PHASE_BEGIN);
        sh->pc++;
        return STEP_OK;
    case OP_WAKE:
    case OP_STOP: {
        struct post_arg *pa = &sh->posts[sh->npost++ % 64];
        *pa = (struct post_arg){sh, op->kind, op->b};
        sched_post(sh->sched, now + op->a, on_event, pa);
        sh->pc++;
        return STEP_OK;
    }
    case OP_HALT:
        sh->pc++;
        return STEP_HALT;
    case OP_EXIT:
        sched_stop(sh->sched, (int)op->a, "guest exit request");
        sh->pc++;
        return STEP_OK;
    case OP_FATAL:
        h->fatal.ip = sh->pc;
        memcpy(h->fatal.bytes, op->head, 4);
        h->fatal.nbytes = 4;
        snprintf(h->fatal.cause, sizeof(h->fatal.cause), "%s", op->text);
        return STEP_FATAL;
    case OP_LOOP:
        sh->pc = (unsigned)op->a;
        return STEP_OK;
    }
    return STEP_OK;
}

static const struct hart_ops scripted_ops = {.step = step};

struct scripted_hart *scripted_hart_new(const struct script *s, struct sched *sched,
                                        const struct scripted_ctx *ctx)
{
    struct scripted_hart *sh = calloc(1, sizeof(*sh));
    if (!sh)
        return NULL;
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

const struct trace_entry *scripted_hart_trace(const struct scripted_hart *sh, size_t *n)
{
    *n = sh->ntrace;
    return sh->trace;
}

void scripted_hart_free(struct scripted_hart *sh)
{
    free(sh);
}
