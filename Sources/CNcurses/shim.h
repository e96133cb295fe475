#ifndef MAILTUI_CNCURSES_SHIM_H
#define MAILTUI_CNCURSES_SHIM_H

// SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so ask for the wide-character API here.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

// glibc hides wcwidth without _XOPEN_SOURCE.
extern int wcwidth(wchar_t c);

// Macros Swift cannot import, as functions.
static inline int mt_key_f(int n) { return KEY_F(n); }
static inline attr_t mt_a_bold(void) { return A_BOLD; }
static inline attr_t mt_a_reverse(void) { return A_REVERSE; }
static inline attr_t mt_a_underline(void) { return A_UNDERLINE; }
static inline attr_t mt_a_dim(void) { return A_DIM; }
static inline attr_t mt_color_pair(int n) { return COLOR_PAIR(n); }

/// Draws one cell: a grapheme cluster (a NUL-terminated run of at most CCHARW_MAX code points)
/// with attributes and a colour pair; the first code point alone when ncurses refuses the cluster.
static inline int mt_put_cell(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) {
        wchar_t first[2] = { text[0], 0 };
        setcchar(&cell, first, attrs, pair, NULL);
    }
    return mvadd_wch(y, x, &cell);
}

static inline int mt_cchar_max(void) { return CCHARW_MAX; }
#endif
