/*
 * The 36 pairs of the DLM lock-mode matrix (spec §3.3), and its
 * out-of-range rule (anything outside 0..5 counts as EX).
 */
#include <glib.h>

#include "resource-kind.h"

/* Row: held; column: requested; as printed in spec §3.3. */
static const char *const expected[FLOM_LOCK_MODE_N] = {
    "YYYYYY", /* NL */
    "YYYYY-", /* CR */
    "YYY---", /* CW */
    "YY-Y--", /* PR */
    "YY----", /* PW */
    "Y-----", /* EX */
};

static const char *const mode_names[FLOM_LOCK_MODE_N] = {"NL", "CR", "CW",
                                                         "PR", "PW", "EX"};

static void test_pair(gconstpointer data)
{
    int pair = GPOINTER_TO_INT(data);
    int held = pair / FLOM_LOCK_MODE_N, requested = pair % FLOM_LOCK_MODE_N;
    bool want = expected[held][requested] == 'Y';

    g_assert_cmpint(lock_mode_compatible(held, requested), ==, want);
    /* The matrix is symmetric, so the order of arrival cannot matter. */
    g_assert_cmpint(lock_mode_compatible(requested, held), ==, want);
}

static void test_out_of_range(void)
{
    for (int m = 0; m < FLOM_LOCK_MODE_N; m++) {
        g_assert_cmpint(lock_mode_compatible(m, 6), ==,
                        lock_mode_compatible(m, FLOM_LOCK_MODE_EX));
        g_assert_cmpint(lock_mode_compatible(-1, m), ==,
                        lock_mode_compatible(FLOM_LOCK_MODE_EX, m));
        g_assert_cmpint(lock_mode_compatible(m, 1000), ==,
                        lock_mode_compatible(m, FLOM_LOCK_MODE_EX));
    }
}

static void test_counts(void)
{
    unsigned held[FLOM_LOCK_MODE_N] = {0};

    for (int m = 0; m < FLOM_LOCK_MODE_N; m++)
        g_assert_true(lock_modes_allow(held, m));
    held[FLOM_LOCK_MODE_CR] = 2;
    held[FLOM_LOCK_MODE_PR] = 1;
    g_assert_true(lock_modes_allow(held, FLOM_LOCK_MODE_PR));
    g_assert_true(lock_modes_allow(held, FLOM_LOCK_MODE_CR));
    g_assert_false(lock_modes_allow(held, FLOM_LOCK_MODE_CW));
    g_assert_false(lock_modes_allow(held, FLOM_LOCK_MODE_EX));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (int h = 0; h < FLOM_LOCK_MODE_N; h++) {
        for (int r = 0; r < FLOM_LOCK_MODE_N; r++) {
            g_autofree char *path =
                g_strdup_printf("/modes/%s-%s", mode_names[h], mode_names[r]);

            g_test_add_data_func(
                path, GINT_TO_POINTER(h * FLOM_LOCK_MODE_N + r), test_pair);
        }
    }
    g_test_add_func("/modes/out-of-range", test_out_of_range);
    g_test_add_func("/modes/counts", test_counts);
    return g_test_run();
}
