/*
 * flom_strerror(): the texts of FLoM 1.7.2 (spec §1.14), verbatim, typos
 * included ("unespected", "a transactional operations"), because scripts
 * and users compare them with what FLoM prints.
 */
#include <stddef.h>

#include <glib.h>

#include "flom_errors.h"

#define SYS(fn) "ERROR: '" fn "' function returned an error condition"
#define JNI(fn) "ERROR: 'JNI " fn "' function returned NULL pointer"
#define SSL(fn) "ERROR: 'OpenSSL " fn "' function returned an error"

#define UNKNOWN_TEXT "ERROR: unknown error"

/* Codes 13 .. -28, indexed by 13 - rc. */
static const char *const core_texts[] = {
    [13 - 13] = "WARNING: a feature is inactive and a piece of code was "
                "skipped",
    [13 - 12] = "WARNING: a transactional operations has been requested for "
                "a non transactional resource",
    [13 - 11] = "WARNING: the handle can not be changed at this time",
    [13 - 10] = "WARNING: the name of the locked element is not available",
    [13 - 9] = "WARNING: network operation timeout",
    [13 - 8] = "WARNING: peer has closed socket connection",
    [13 - 7] = "WARNING: peer is not ready to accept a connection",
    [13 - 6] = "INFO: the lock can not be obtained because the resource will "
               "never satisfy the lock request",
    [13 - 5] = "INFO: the lock can not be obtained because the requester can "
               "not wait resource availability",
    [13 - 4] = "INFO: the lock can not be obtained because the resource is "
               "already locked",
    [13 - 3] = "INFO: the lock can not be obtained, generic issue",
    [13 - 2] = "INFO: the asked resource is not available, the task must wait "
               "resource creation by a something else",
    [13 - 1] = "INFO: the lock can not be obtained now, but the request was "
               "enqueued",
    [13 - 0] = "OK: no error",
    [13 + 1] = "ERROR: internal error / unexpected condition / code bug",
    [13 + 2] = "ERROR: flom command was not able to start a new daemon and/or "
               "connect to it",
    [13 + 3] = "ERROR: an unespected network event raised",
    [13 + 4] = "ERROR: the object is null",
    [13 + 5] = "ERROR: a specified option is not valid",
    [13 + 6] = "ERROR: object is corrupted",
    [13 + 7] = "ERROR: an argument is out of range",
    [13 + 8] = "ERROR: the number of chars of the prefix of the message is "
               "wrong",
    [13 + 9] = "ERROR: the process has been stopped to avoid a buffer "
               "overflow",
    [13 + 10] = "ERROR: the length of the message differs from prefix",
    [13 + 11] = "ERROR: a value of a property is invalid",
    [13 + 12] = "ERROR: the container is full and cannot store more elements",
    [13 + 13] = "ERROR: client/server protocol error, an unexpected packet of "
                "data was received",
    [13 + 14] = "ERROR: invalid name for a resource",
    [13 + 15] = "ERROR: client and server are not aligned to the same "
                "communication level",
    [13 + 16] = "ERROR: XML message deserialization",
    [13 + 17] = "ERROR: API function called using an invalid sequence",
    [13 + 18] = "ERROR: address family is not a valid IP address family "
                "(AF_INET, AF_INET6)",
    [13 + 19] = "ERROR: the specified IP address is not valid for the current "
                "function",
    [13 + 20] = "ERROR: the specified network interface is not valid for IPv6 "
                "networking",
    [13 + 21] = "ERROR: creation of a new object in the heap failed",
    [13 + 22] = "ERROR: the peer did not supply a valid certificate for a "
                "TLS/SSL connection",
    [13 + 23] = "ERROR: the unique ID sent by the peer does not match the CN "
                "field inside the X.509 provided certificate",
    [13 + 24] = "ERROR: the connection is not a TLS connection, but a TLS "
                "operation was requested",
    [13 + 25] = "ERROR: format not valid for a timestamp resource",
    [13 + 26] = "ERROR: the resource can not be initialized",
    [13 + 27] = "ERROR: the server has unilaterally closed the connection",
    [13 + 28] = "ERROR: object not found",
};

/* Codes -100 .. -143, indexed by -100 - rc. */
static const char *const sys_texts[] = {
    [0] = SYS("accept"),
    [1] = SYS("bind"),
    [2] = SYS("chdir"),
    [3] = SYS("close"),
    [4] = SYS("closedir"),
    [5] = SYS("connect"),
    [6] = SYS("execvp"),
    [7] = SYS("fcntl"),
    [8] = SYS("flock"),
    [9] = SYS("fork"),
    [10] = SYS("getaddrinfo"),
    [11] = SYS("getifaddrs"),
    [12] = SYS("getnameinfo"),
    [13] = SYS("getsockname"),
    [14] = SYS("getsockopt"),
    [15] = SYS("gettimeofday"),
    [16] = SYS("inet_ntop"),
    [17] = SYS("listen"),
    [18] = SYS("localtime_r"),
    [19] = "ERROR: 'malloc'/'g_malloc' function returned an error condition",
    [20] = SYS("open"),
    [21] = SYS("opendir"),
    [22] = SYS("pipe"),
    [23] = SYS("poll"),
    [24] = SYS("read"),
    [25] = SYS("realpath"),
    [26] = SYS("recv"),
    [27] = SYS("recvfrom"),
    [28] = SYS("regcomp"),
    [29] = SYS("regexec"),
    [30] = SYS("send"),
    [31] = SYS("sendto"),
    [32] = SYS("setsid"),
    [33] = SYS("setsockopt"),
    [34] = SYS("sigaction"),
    [35] = SYS("sigaddset"),
    [36] = SYS("sigemptyset"),
    [37] = SYS("signal"),
    [38] = SYS("sigprocmask"),
    [39] = SYS("socket"),
    [40] = "ERROR: 'snprintf' function was not able to write the complete "
           "content due to insufficient buffer space",
    [41] = SYS("unlink"),
    [42] = SYS("wait"),
    [43] = SYS("write"),
};

/* Codes -200 .. -217, indexed by -200 - rc. */
static const char *const glib_texts[] = {
    [0] = SYS("g_array_new"),
    [1] = SYS("g_base64_decode"),
    [2] = SYS("g_base64_encode"),
    [3] = SYS("g_key_file_load_from_file"),
    [4] = SYS("g_key_file_new"),
    [5] = SYS("g_markup_parse_context_new"),
    [6] = SYS("g_markup_parse_context_parse"),
    [7] = SYS("g_node_append_data"),
    [8] = SYS("g_node_new"),
    [9] = SYS("g_node_prepend_data"),
    [10] = SYS("g_ptr_array_remove_index_fast"),
    [11] = SYS("g_queue_new"),
    [12] = SYS("g_strdup"),
    [13] = SYS("g_strndup"),
    [14] = SYS("g_strsplit"),
    [15] = SYS("g_thread_new"),
    [16] = "ERROR: 'g_try_malloc'/'g_try_malloc0' function returned an error "
           "condition",
    [17] = SYS("g_try_realloc"),
};

/* Codes -300 .. -302, indexed by -300 - rc. */
static const char *const jni_texts[] = {
    [0] = JNI("GetFieldID"),
    [1] = JNI("GetObjectClass"),
    [2] = JNI("NewDirectByteBuffer"),
};

/* Codes -400 .. -413, indexed by -400 - rc. -405 (SSL_accept) has no text
 * in FLoM and stays NULL, which maps to the "unknown error" text. */
static const char *const ssl_texts[] = {
    [0] = SSL("SSL_CTX_check_private_key"),
    [1] = SSL("SSL_CTX_load_verify_locations"),
    [2] = SSL("SSL_CTX_new"),
    [3] = SSL("SSL_CTX_use_certificate_file"),
    [4] = SSL("SSL_CTX_use_PrivateKey_file"),
    [6] = SSL("SSL_connect"),
    [7] = SSL("SSL_get_verify_result"),
    [8] = SSL("SSL_new"),
    [9] = SSL("SSL_read"),
    [10] = SSL("SSL_set_ex_data"),
    [11] = SSL("SSL_set_fd"),
    [12] = SSL("SSL_write"),
    [13] = "ERROR: no valid TLS/SSL method was found",
};

/* One block of consecutive codes: the text of rc is texts[base - rc]. */
struct text_block {
    int base;
    const char *const *texts;
    size_t count;
};

#define BLOCK(b, t)                                                            \
    {                                                                          \
        .base = (b), .texts = (t), .count = G_N_ELEMENTS(t)                    \
    }

static const struct text_block blocks[] = {
    BLOCK(13, core_texts),  BLOCK(-100, sys_texts), BLOCK(-200, glib_texts),
    BLOCK(-300, jni_texts), BLOCK(-400, ssl_texts),
};

const char *flom_strerror(int ret_cod)
{
    for (size_t i = 0; i < G_N_ELEMENTS(blocks); i++) {
        /* 64 bits: base - ret_cod must not overflow for ret_cod near INT_MIN */
        long long index = (long long)blocks[i].base - ret_cod;

        if (index >= 0 && (size_t)index < blocks[i].count &&
            blocks[i].texts[index] != NULL)
            return blocks[i].texts[index];
    }
    return UNKNOWN_TEXT;
}
