/*
 * The host's unique id (see uniqueid.h). Read directly from the files
 * libdbus reads, so flom needs no D-Bus library.
 */
#include <stdbool.h>
#include <string.h>

#include <glib.h>

#include "uniqueid.h"

static const char *const machine_id_files[] = {
    "/etc/machine-id",
    "/var/lib/dbus/machine-id",
};

/* Exactly 32 lowercase hex digits, optionally followed by a newline (the
 * format systemd and dbus write). */
static bool valid_machine_id(const char *text, size_t len)
{
    if (len == UNIQUEID_LENGTH + 1 && text[UNIQUEID_LENGTH] == '\n')
        len--;
    if (len != UNIQUEID_LENGTH)
        return false;
    for (size_t i = 0; i < UNIQUEID_LENGTH; i++)
        if (!g_ascii_isxdigit(text[i]) || g_ascii_isupper(text[i]))
            return false;
    return true;
}

static bool read_machine_id(const char *path, char *out)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!g_file_get_contents(path, &text, &len, NULL))
        return false;
    if (strlen(text) != len || !valid_machine_id(text, len))
        return false;
    memcpy(out, text, UNIQUEID_LENGTH);
    out[UNIQUEID_LENGTH] = '\0';
    return true;
}

const char *uniqueid_get(void)
{
    static char id[UNIQUEID_LENGTH + 1];
    static gsize loaded;

    if (g_once_init_enter(&loaded)) {
        for (size_t i = 0; i < G_N_ELEMENTS(machine_id_files); i++)
            if (read_machine_id(machine_id_files[i], id))
                break;
        g_once_init_leave(&loaded, 1);
    }
    return id;
}
