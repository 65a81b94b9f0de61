/* Locale set-up and paths that work both in the build tree and installed. */
#include <config.h>
#include <limits.h>
#include <stdio.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rebote/util.h"

/* Directory holding the running executable, "" if unknown. */
static const char *util_exe_dir(void)
{
    static char dir[PATH_MAX];
    if (dir[0])
        return dir;
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0)
        return "";
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    return dir;
}

/* <exe dir>/../NAME when it exists (the build tree), else NULL. */
static const char *util_tree_path(const char *name, char *buf, size_t len)
{
    struct stat st;
    if (snprintf(buf, len, "%s/../%s", util_exe_dir(), name) >= (int)len)
        return NULL;
    if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
        return buf;
    return NULL;
}

void util_init_i18n(void)
{
    static char buf[PATH_MAX];
    setlocale(LC_ALL, "");
    const char *tree = util_tree_path("locale", buf, sizeof buf);
    bindtextdomain(PACKAGE, tree ? tree : LOCALEDIR);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
}

const char *util_data_dir(void)
{
    static char buf[PATH_MAX];
    const char *tree = util_tree_path("data", buf, sizeof buf);
    return tree ? tree : PKGDATADIR;
}
