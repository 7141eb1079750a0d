//! Makes article text safe to show: strips terminal escape sequences and
//! control characters, and turns odd white space into plain spaces. Every
//! string that leaves the parser has been through here.

use std::borrow::Cow;

/// Removes ANSI/VT escape sequences (CSI, OSC, DCS and two-byte escapes),
/// C0 and C1 control characters and bidi overrides; maps tabs, no-break and
/// other Unicode spaces to ' '. Newlines are not expected here: callers
/// split lines first.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    // Most text is clean: a byte pass finds ASCII controls and tabs, and
    // only characters outside ASCII need the slower look.
    let ascii_dirty = s.bytes().any(|b| b < 0x20 || b == 0x7f);
    if !ascii_dirty && (s.is_ascii() || !s.chars().any(|c| !c.is_ascii() && needs_work(c))) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // An 8-bit CSI/OSC/DCS introducer starts a sequence as well.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if is_space_like(c) => out.push(' '),
            c if is_dropped(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_work(c: char) -> bool {
    c.is_control() || is_space_like(c) || is_dropped(c)
}

fn is_space_like(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{a0}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{1680}'
    )
}

fn is_dropped(c: char) -> bool {
    c.is_control()
        // Zero-width and bidi controls can reorder or hide what the user sees.
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{2028}' | '\u{2029}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => skip_string(chars),
        // Two-byte escapes (ESC c, ESC 7, ESC ( B …): the intermediate bytes
        // 0x20..=0x2f are followed by one final byte.
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            while let Some(&n) = chars.peek() {
                chars.next();
                if !('\u{20}'..='\u{2f}').contains(&n) {
                    break;
                }
            }
        }
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes, then one final byte in 0x40..=0x7e.
fn skip_csi(chars: &mut Chars) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) || !('\u{20}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/APC/PM strings end at BEL or ST (ESC \ or 0x9c).
fn skip_string(chars: &mut Chars) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn strips_osc_title_and_clear_screen() {
        let s = "a\u{1b}]0;evil title\u{7}b\u{1b}[2Jc\u{1b}[1;31md";
        assert_eq!(sanitize(s), "abcd");
    }

    #[test]
    fn strips_c0_c1_and_bidi_but_keeps_letters() {
        let s = "x\u{0}\u{8}\u{85}y\u{202e}z é ü";
        assert_eq!(sanitize(s), "xyz é ü");
    }

    #[test]
    fn maps_tabs_and_nbsp_to_space() {
        assert_eq!(sanitize("a\tb\u{a0}c"), "a b c");
    }

    #[test]
    fn unterminated_osc_eats_to_end_without_panic() {
        assert_eq!(sanitize("ok\u{1b}]0;never ends"), "ok");
        assert_eq!(sanitize("\u{1b}"), "");
        assert_eq!(sanitize("\u{1b}["), "");
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(
            sanitize("Baca juga: Rusia"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
