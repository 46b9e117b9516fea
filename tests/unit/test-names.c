/*
 * The resource name grammar of spec §3.1 and the helpers of names.h.
 * The expectations are what FLoM's six regular expressions say, except for
 * control characters, which flom refuses (spec §3.1, robust behaviour).
 */
#include <glib.h>
#include <stdint.h>

#include "names.h"

struct case_ {
    const char *name;
    enum rsrc_type type;
};

static void check_cases(const struct case_ *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        enum rsrc_type got = names_classify(cases[i].name);

        if (got != cases[i].type) {
            g_autofree char *shown = g_strescape(cases[i].name, NULL);

            g_test_message("name \"%s\": got %s, expected %s", shown,
                           names_type_text(got),
                           names_type_text(cases[i].type));
        }
        g_assert_cmpint(got, ==, cases[i].type);
    }
}

static void test_simple(void)
{
    static const struct case_ cases[] = {
        {"RA123", RSRC_TYPE_SIMPLE},
        {"a", RSRC_TYPE_SIMPLE},
        {"Z9", RSRC_TYPE_SIMPLE},
        {"_RESOURCE", RSRC_TYPE_SIMPLE},
        {"123RA", RSRC_TYPE_NULL},
        {"a_b", RSRC_TYPE_NULL},
        {"a-b", RSRC_TYPE_NULL},
        {"a b", RSRC_TYPE_NULL},
        {"_resource", RSRC_TYPE_NULL},
        {"_RESOURCEX", RSRC_TYPE_NULL},
        {"\xc3\xa9t\xc3\xa9", RSRC_TYPE_NULL},
    };

    check_cases(cases, G_N_ELEMENTS(cases));
}

static void test_numeric(void)
{
    static const struct case_ cases[] = {
        {"foo[12]", RSRC_TYPE_NUMERIC}, {"foo[0]", RSRC_TYPE_NUMERIC},
        {"a1[007]", RSRC_TYPE_NUMERIC}, {"foo[]", RSRC_TYPE_NULL},
        {"foo[-1]", RSRC_TYPE_NULL},    {"foo[1]x", RSRC_TYPE_NULL},
        {"foo[1", RSRC_TYPE_NULL},      {"[1]", RSRC_TYPE_NULL},
        {"1foo[1]", RSRC_TYPE_NULL},    {"foo[1][2]", RSRC_TYPE_NULL},
        {"foo[ 1]", RSRC_TYPE_NULL},
    };

    check_cases(cases, G_N_ELEMENTS(cases));
}

static void test_set(void)
{
    static const struct case_ cases[] = {
        {"red.green.blue", RSRC_TYPE_SET},
        {"a.b", RSRC_TYPE_SET},
        {"a.b.a", RSRC_TYPE_SET},
        {"a1.b2", RSRC_TYPE_SET},
        {"a.", RSRC_TYPE_NULL},
        {".a", RSRC_TYPE_NULL},
        {"a..b", RSRC_TYPE_NULL},
        {"a.1b", RSRC_TYPE_NULL},
        {"a.b[1]", RSRC_TYPE_NULL},
        {"a.b_c", RSRC_TYPE_NULL},
    };

    check_cases(cases, G_N_ELEMENTS(cases));
}

static void test_hier(void)
{
    static const struct case_ cases[] = {
        {"/a", RSRC_TYPE_HIER},
        {"/a/b", RSRC_TYPE_HIER},
        {"/a b/c.d", RSRC_TYPE_HIER},
        {"/1/_x/[2]/-", RSRC_TYPE_HIER},
        {"/caf\xc3\xa9", RSRC_TYPE_HIER},
        {"/a/", RSRC_TYPE_NULL},
        {"//a", RSRC_TYPE_NULL},
        {"/a//b", RSRC_TYPE_NULL},
        {"/", RSRC_TYPE_NULL},
        {"a/b", RSRC_TYPE_NULL},
        /* [^\/] is a POSIX bracket: the backslash is excluded too. */
        {"/a\\b", RSRC_TYPE_NULL},
        {"/\\", RSRC_TYPE_NULL},
    };

    check_cases(cases, G_N_ELEMENTS(cases));
}

static void test_sequence(void)
{
    static const struct case_ cases[] = {
        {"_s_x[1]", RSRC_TYPE_SEQUENCE},     {"_S_x[0]", RSRC_TYPE_SEQUENCE},
        {"_s_abc9[42]", RSRC_TYPE_SEQUENCE}, {"_s_x", RSRC_TYPE_NULL},
        {"_s_[1]", RSRC_TYPE_NULL},          {"_s_1x[1]", RSRC_TYPE_NULL},
        {"_x_x[1]", RSRC_TYPE_NULL},         {"s_x[1]", RSRC_TYPE_NULL},
        {"_s_x[]", RSRC_TYPE_NULL},          {"_s_a.b[1]", RSRC_TYPE_NULL},
    };

    check_cases(cases, G_N_ELEMENTS(cases));
}

static void test_timestamp(void)
{
    static const struct case_ cases[] = {
        {"_t_%Y#ff[2]", RSRC_TYPE_TIMESTAMP},
        {"_t_%Y%m%d.%H:%M:%S[1]", RSRC_TYPE_TIMESTAMP},
        {"_t_#[0]", RSRC_TYPE_TIMESTAMP},
        {"_t_a[3]", RSRC_TYPE_TIMESTAMP},
        /* The backslash is admitted after the first character only. */
        {"_t_a\\b[1]", RSRC_TYPE_TIMESTAMP},
        {"_t_\\a[1]", RSRC_TYPE_NULL},
        {"_t_.a[1]", RSRC_TYPE_NULL},
        {"_t_1[1]", RSRC_TYPE_NULL},
        {"_t_%Y-%m[1]", RSRC_TYPE_TIMESTAMP}, /* flom admits '-' */
        {"_t_%Y%m%d-%H%M%S#fff[1]", RSRC_TYPE_TIMESTAMP},
        {"_t_-%Y[1]", RSRC_TYPE_NULL},
        {"_t_%Y %m[1]", RSRC_TYPE_NULL},
        {"_t_%Y/%m[1]", RSRC_TYPE_NULL},
        {"_t_%Y_%m[1]", RSRC_TYPE_NULL},
        {"_T_%Y[1]", RSRC_TYPE_NULL},
        {"_t_%Y", RSRC_TYPE_NULL},
        {"_t_[1]", RSRC_TYPE_NULL},
    };

    check_cases(cases, G_N_ELEMENTS(cases));
}

static void test_rejected(void)
{
    static const struct case_ cases[] = {
        /* FLoM's REG_NEWLINE would accept the first three. */
        {"abc\n!!", RSRC_TYPE_NULL},    {"abc\n", RSRC_TYPE_NULL},
        {"!!\nabc", RSRC_TYPE_NULL},    {"a\tb", RSRC_TYPE_NULL},
        {"/a\nb", RSRC_TYPE_NULL},      {"/a\rb", RSRC_TYPE_NULL},
        {"/a\x7f", RSRC_TYPE_NULL},     {"/a\x01", RSRC_TYPE_NULL},
        {"_t_%Y\n[1]", RSRC_TYPE_NULL}, {"", RSRC_TYPE_NULL},
    };

    check_cases(cases, G_N_ELEMENTS(cases));
    g_assert_cmpint(names_classify(NULL), ==, RSRC_TYPE_NULL);
}

static void test_type_text(void)
{
    g_assert_cmpstr(names_type_text(RSRC_TYPE_NULL), ==, "null");
    g_assert_cmpstr(names_type_text(RSRC_TYPE_SIMPLE), ==, "simple");
    g_assert_cmpstr(names_type_text(RSRC_TYPE_NUMERIC), ==, "numeric");
    g_assert_cmpstr(names_type_text(RSRC_TYPE_SET), ==, "set");
    g_assert_cmpstr(names_type_text(RSRC_TYPE_HIER), ==, "hierarchical");
    g_assert_cmpstr(names_type_text(RSRC_TYPE_SEQUENCE), ==, "sequence");
    g_assert_cmpstr(names_type_text(RSRC_TYPE_TIMESTAMP), ==, "timestamp");
    g_assert_cmpstr(names_type_text((enum rsrc_type)7), ==, "null");
    g_assert_cmpstr(names_type_text((enum rsrc_type) - 1), ==, "null");
}

static void test_reserved(void)
{
    g_assert_true(names_is_reserved("_RESOURCE"));
    g_assert_false(names_is_reserved("RESOURCE"));
    g_assert_false(names_is_reserved("_RESOURCE "));
    g_assert_false(names_is_reserved(""));
    g_assert_false(names_is_reserved(NULL));
}

static void check_key(const char *name, const char *expected)
{
    g_autofree char *key = names_resource_key(name);

    g_assert_cmpstr(key, ==, expected);
}

static void test_resource_key(void)
{
    check_key("/a/b", "a");
    check_key("/a/c", "a");
    check_key("/a", "a");
    check_key("/a b/c.d", "a b");
    check_key("abc", "abc");
    check_key("foo[3]", "foo[3]");
    check_key("red.green", "red.green");
    check_key("_s_x[1]", "_s_x[1]");
    check_key("_RESOURCE", "_RESOURCE");
    check_key("/a/", NULL);
    check_key("a b", NULL);
    check_key(NULL, NULL);
}

static void check_number(const char *name, bool ok, int32_t expected)
{
    int32_t value = -1;

    g_assert_cmpint(names_bracket_number(name, &value), ==, ok);
    if (ok)
        g_assert_cmpint(value, ==, expected);
}

static void test_bracket_number(void)
{
    check_number("foo[12]", true, 12);
    check_number("foo[0]", true, 0);
    check_number("foo[007]", true, 7);
    check_number("_s_x[5]", true, 5);
    check_number("_S_x[2147483647]", true, INT32_MAX);
    check_number("_t_%Y[3]", true, 3);
    check_number("foo[2147483648]", true, INT32_MAX);
    check_number("foo[99999999999999999999999]", true, INT32_MAX);
    check_number("foo", false, 0);
    check_number("/a[1]", false, 0);
    check_number("foo[1]x", false, 0);
    check_number(NULL, false, 0);
}

static void check_split(char **got, const char *const *expected)
{
    g_assert_nonnull(got);
    g_assert_cmpuint(g_strv_length(got), ==, g_strv_length((char **)expected));
    for (size_t i = 0; expected[i] != NULL; i++)
        g_assert_cmpstr(got[i], ==, expected[i]);
    g_strfreev(got);
}

static void test_set_elements(void)
{
    static const char *const aba[] = {"a", "b", "a", NULL};
    static const char *const rgb[] = {"red", "green", "blue", NULL};

    check_split(names_set_elements("a.b.a"), aba);
    check_split(names_set_elements("red.green.blue"), rgb);
    g_assert_null(names_set_elements("abc"));
    g_assert_null(names_set_elements("a..b"));
    g_assert_null(names_set_elements("/a.b"));
}

static void test_hier_levels(void)
{
    static const char *const abcd[] = {"a", "b c", "d", NULL};
    static const char *const a[] = {"a", NULL};

    check_split(names_hier_levels("/a/b c/d"), abcd);
    check_split(names_hier_levels("/a"), a);
    g_assert_null(names_hier_levels("/a/"));
    g_assert_null(names_hier_levels("a/b"));
    g_assert_null(names_hier_levels(NULL));
}

static void test_sequence_transactional(void)
{
    g_assert_true(names_sequence_is_transactional("_S_x[1]"));
    g_assert_false(names_sequence_is_transactional("_s_x[1]"));
    g_assert_false(names_sequence_is_transactional("_S_x"));
    g_assert_false(names_sequence_is_transactional("S"));
    g_assert_false(names_sequence_is_transactional(NULL));
}

static void check_format(const char *name, const char *expected)
{
    g_autofree char *format = names_timestamp_format(name);

    g_assert_cmpstr(format, ==, expected);
}

static void test_timestamp_format(void)
{
    check_format("_t_%Y#ff[2]", "%Y#ff");
    check_format("_t_a\\b[1]", "a\\b");
    check_format("_t_%H:%M:%S.#[10]", "%H:%M:%S.#");
    check_format("foo[1]", NULL);
    check_format("_t_%Y-%m[1]", "%Y-%m");
    check_format(NULL, NULL);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/names/classify/simple", test_simple);
    g_test_add_func("/names/classify/numeric", test_numeric);
    g_test_add_func("/names/classify/set", test_set);
    g_test_add_func("/names/classify/hierarchical", test_hier);
    g_test_add_func("/names/classify/sequence", test_sequence);
    g_test_add_func("/names/classify/timestamp", test_timestamp);
    g_test_add_func("/names/classify/rejected", test_rejected);
    g_test_add_func("/names/type-text", test_type_text);
    g_test_add_func("/names/reserved", test_reserved);
    g_test_add_func("/names/resource-key", test_resource_key);
    g_test_add_func("/names/bracket-number", test_bracket_number);
    g_test_add_func("/names/set-elements", test_set_elements);
    g_test_add_func("/names/hier-levels", test_hier_levels);
    g_test_add_func("/names/sequence-transactional",
                    test_sequence_transactional);
    g_test_add_func("/names/timestamp-format", test_timestamp_format);
    return g_test_run();
}
