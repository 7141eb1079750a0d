//! Makes article text safe to show: strips terminal escape sequences and
//! control characters, and turns odd white space into plain spaces. Every
//! string that leaves the parser has been through here. Paths, which must
//! stay exact, are shown through [`visible`] instead.

use std::borrow::Cow;

/// Removes ANSI/VT escape sequences (CSI, OSC, DCS and two-byte escapes),
/// C0 and C1 control characters and bidi overrides; maps tabs, no-break and
/// other Unicode spaces to ' '. Newlines are not expected here: callers
/// split lines first.
///
/// What is removed leaves no longer run of spaces than the text had on
/// either side of it: "a \e[5m b" gives "a b", not "a  b", because the
/// parser reads two spaces as the end of a link title (scrapers join
/// paragraphs so), and an escape must not cut a title the line holds.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if is_safe(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    // Spaces still to drop after a removal: as many as it was preceded by.
    let mut absorb = 0usize;
    while let Some(c) = chars.next() {
        let removed = match c {
            '\u{1b}' => {
                skip_escape(&mut chars);
                true
            }
            // An 8-bit CSI/OSC/DCS introducer starts a sequence as well.
            '\u{9b}' => {
                skip_csi(&mut chars);
                true
            }
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => {
                skip_string(&mut chars);
                true
            }
            // A line break where lines are split already: a space, so the
            // words on either side stay apart.
            c if is_space_like(c) || c == ' ' || is_line_break(c) => {
                if absorb > 0 {
                    absorb -= 1;
                } else {
                    out.push(' ');
                }
                false
            }
            c if is_dropped(c) => true,
            c => {
                absorb = 0;
                out.push(c);
                false
            }
        };
        if removed {
            absorb = out.bytes().rev().take_while(|&b| b == b' ').count();
        }
    }
    Cow::Owned(out)
}

/// JSON text with every character [`visible`] would escape written as a
/// `\uXXXX` escape: serde_json escapes only C0 controls, and a C1 control
/// (8-bit CSI, OSC) or a bidi override printed raw acts on a terminal as
/// much as ESC does. The value a JSON reader gets is unchanged. Outside
/// strings JSON is ASCII, so every such character is inside one.
pub fn json_visible(json: &str) -> Cow<'_, str> {
    // The line breaks of pretty JSON lie between values: they stay.
    let raw = |c: char| is_dropped(c) && c != '\n';
    // Megabytes of report go through here: only control bytes and
    // characters outside ASCII are looked at one by one.
    let bytes = json.as_bytes();
    let mut i = 0;
    let mut clean = true;
    while let Some(at) = next_special(bytes, i) {
        let Some(c) = json[at..].chars().next() else {
            break;
        };
        if raw(c) {
            clean = false;
            break;
        }
        i = at + c.len_utf8();
    }
    if clean {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            // All of them are in the Basic Multilingual Plane.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` for a person to read on a terminal: control characters, bidi
/// overrides and zero-width characters written as Rust escapes (`\u{1b}`,
/// `\t`), everything else as it is. A file name may hold anything; printed
/// raw, an escape sequence in it would act on the terminal, and stripped,
/// the name shown would not be the file's.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_dropped) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_dropped(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` holds nothing [`sanitize`] would change. Most text is clean, and
/// every line of every article is asked: printable ASCII is skipped eight
/// bytes at a time, and only characters outside ASCII are decoded.
fn is_safe(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(at) = next_special(bytes, i) {
        if bytes[at] < 0x80 {
            return false; // a C0 control or DEL
        }
        let Some(c) = s[at..].chars().next() else {
            return true;
        };
        if needs_work(c) {
            return false;
        }
        i = at + c.len_utf8();
    }
    true
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The first byte of `bytes` from `from` on that is not printable ASCII: a
/// control byte (below 0x20, or 0x7f) or a byte of a character outside
/// ASCII. Eight bytes are tested at once; the word tests below say exactly
/// whether such a byte is among them (see "Bit Twiddling Hacks", hasless
/// and hasmore).
#[inline]
pub(crate) fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    scan(
        bytes,
        from,
        |x| {
            let below_space = x.wrapping_sub(ONES * 0x20) & !x;
            let del_or_high = x.wrapping_add(ONES) | x;
            (below_space | del_or_high) & HIGHS != 0
        },
        |b| !(0x20..0x7f).contains(&b),
    )
}

/// Whether `bytes` holds a byte below 0x20, eight bytes at a time: most
/// text has one only every few hundred bytes (its line ends).
#[inline]
pub(crate) fn next_below_space(bytes: &[u8], from: usize) -> Option<usize> {
    scan(
        bytes,
        from,
        |x| x.wrapping_sub(ONES * 0x20) & !x & HIGHS != 0,
        |b| b < 0x20,
    )
}

/// The first byte from `from` on for which `hit` holds: whole words that
/// `may_hold` clears are skipped, the rest is looked at byte by byte.
#[inline]
fn scan(
    bytes: &[u8],
    from: usize,
    may_hold: impl Fn(u64) -> bool,
    hit: impl Fn(u8) -> bool,
) -> Option<usize> {
    let tail = bytes.get(from..)?;
    let mut skipped = 0;
    for chunk in tail.chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if may_hold(u64::from_le_bytes(word)) {
            break;
        }
        skipped += 8;
    }
    tail[skipped..]
        .iter()
        .position(|&b| hit(b))
        .map(|p| from + skipped + p)
}

fn needs_work(c: char) -> bool {
    c.is_control() || is_space_like(c) || is_dropped(c)
}

/// The Unicode line and paragraph separators and NEL (next line).
fn is_line_break(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

/// `text` with the Unicode line breaks ([`is_line_break`]) as `\n`, for
/// importers to run before they split lines: they end a line in text as
/// much as `\n` does.
pub fn unicode_breaks(text: &str) -> Cow<'_, str> {
    // Every file is asked and nearly none has one: one vectorised search
    // for the lead bytes of all three (E2 80 A8, E2 80 A9, C2 85).
    let bytes = text.as_bytes();
    let found = memchr::memchr2_iter(0xe2, 0xc2, bytes).any(|at| {
        matches!(
            bytes.get(at..at + 3),
            Some([0xe2, 0x80, 0xa8 | 0xa9, ..]) | Some([0xc2, 0x85, ..])
        ) || bytes.get(at..at + 2) == Some(&[0xc2, 0x85])
    });
    if !found {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_line_break(c) { '\n' } else { c })
            .collect(),
    )
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
        let s = "x\u{0}\u{8}\u{9c}y\u{202e}z é ü";
        assert_eq!(sanitize(s), "xyz é ü");
    }

    #[test]
    fn json_keeps_its_value_and_shows_no_c1_or_bidi_raw() {
        let value = "a\u{9b}6n\u{9d}52;c\u{7}\u{202e}\u{2066}\u{7f}\u{200b}é\u{1b}z";
        let json = serde_json::to_string(&serde_json::json!({ "t": value })).unwrap();
        let safe = super::json_visible(&json);
        assert!(
            safe.chars()
                .all(|c| !c.is_control() && !super::is_dropped(c)),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["t"], value);
        let pretty = serde_json::to_string_pretty(&serde_json::json!({ "t": value })).unwrap();
        let safe = super::json_visible(&pretty);
        assert!(safe.contains('\n'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["t"], value);
        assert!(matches!(
            super::json_visible("{\"t\":\"biasa é\"}"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn unicode_line_breaks_part_words_and_end_lines() {
        for sep in ['\u{2028}', '\u{2029}', '\u{85}'] {
            assert_eq!(sanitize(&format!("Judul{sep}Paragraf")), "Judul Paragraf");
            let text = format!("a{sep}b{sep}");
            assert_eq!(super::unicode_breaks(&text), "a\nb\n");
        }
        assert!(matches!(
            super::unicode_breaks("tanpa pemisah \u{2027}"),
            std::borrow::Cow::Borrowed(_)
        ));
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
    fn word_scans_agree_with_byte_scans() {
        let mut state = 11u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as u8
        };
        let pool = [
            b'a', b' ', b'z', 0x7e, 0x7f, 0x80, 0xff, 0x1f, 0x20, 0, b'\n', 0xc2,
        ];
        for len in 0..40 {
            for _ in 0..200 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        let r = next();
                        if r < 200 {
                            b'a' + r % 26
                        } else {
                            pool[usize::from(r) % pool.len()]
                        }
                    })
                    .collect();
                for from in 0..=len.min(9) {
                    let want = bytes[from..]
                        .iter()
                        .position(|&b| !(0x20..0x7f).contains(&b))
                        .map(|p| p + from);
                    assert_eq!(super::next_special(&bytes, from), want, "{bytes:?} {from}");
                    let want = bytes[from..]
                        .iter()
                        .position(|&b| b < 0x20)
                        .map(|p| p + from);
                    assert_eq!(super::next_below_space(&bytes, from), want, "{bytes:?}");
                }
            }
        }
        assert_eq!(super::next_special(b"abc", 4), None);
    }

    #[test]
    fn safe_check_agrees_with_sanitize() {
        let specials = [
            "\u{80}", "\u{9f}", "\u{a0}", "\u{a1}", "\u{1680}", "\u{1681}", "\u{1fff}", "\u{2000}",
            "\u{200a}", "\u{200f}", "\u{2010}", "\u{201c}", "\u{2027}", "\u{2028}", "\u{202f}",
            "\u{2030}", "\u{205e}", "\u{205f}", "\u{2065}", "\u{2066}", "\u{2069}", "\u{206a}",
            "\u{3000}", "\u{3001}", "\u{feff}", "\u{fefe}", "é", "\u{7f}", "\t", "x",
        ];
        for a in specials {
            for b in specials {
                let s = format!("abcdefg{a}hij{b}");
                let changed = !matches!(sanitize(&s), std::borrow::Cow::Borrowed(_));
                let slow = s.chars().any(super::needs_work);
                assert_eq!(changed, slow, "{s:?}");
            }
        }
    }

    #[test]
    fn a_removal_between_spaces_leaves_the_longer_run_only() {
        assert_eq!(sanitize("a \u{1b}[5m b"), "a b");
        assert_eq!(sanitize("a \u{1b}[1m\u{1b}[5m b"), "a b");
        assert_eq!(sanitize("a \u{200b} b"), "a b");
        assert_eq!(sanitize("a\u{1b}[5m b"), "a b");
        assert_eq!(sanitize("a \u{1b}[5mb"), "a b");
        // Two spaces written on one side stay two: the parser reads them.
        assert_eq!(sanitize("a  \u{1b}[5m b"), "a  b");
        assert_eq!(sanitize("a \u{1b}[5m  b"), "a  b");
        // Spaces away from any removal are left as they are.
        assert_eq!(sanitize("a  b\u{7}c"), "a  bc");
        assert_eq!(sanitize("a\t\tb\u{7}"), "a  b");
    }

    #[test]
    fn visible_escapes_controls_and_keeps_the_rest() {
        use super::visible;
        assert_eq!(
            visible("x\u{1b}]0;PWNED\u{7}.txt"),
            "x\\u{1b}]0;PWNED\\u{7}.txt"
        );
        assert_eq!(visible("a\tb\nc\u{9b}d"), "a\\tb\\nc\\u{9b}d");
        assert_eq!(visible("kiri\u{202e}kanan"), "kiri\\u{202e}kanan");
        assert!(matches!(
            visible("berita/Ümit é 日本.txt"),
            std::borrow::Cow::Borrowed("berita/Ümit é 日本.txt")
        ));
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(
            sanitize("Baca juga: Rusia"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
