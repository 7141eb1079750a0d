//! Keys → actions. The default table is `assets/keymap.toml`, compiled in;
//! a user's `keymap.toml` in the config folder replaces the keys of the
//! actions it names. A key bound to two actions is an error that names it,
//! and the help screen is generated from the same table.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::{BTreeMap, HashMap};

pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Quits in every keymap (and in prompts).
const CTRL_C: Key = Key {
    code: KeyCode::Char('c'),
    mods: KeyModifiers::CONTROL,
};

/// A key with its modifiers, normalised so that "G" and "shift-g" agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn from_event(ev: &KeyEvent) -> Key {
        Key::new(ev.code, ev.modifiers)
    }

    fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            // Shift is folded into the character, so "shift-g", "G" and
            // the event Char('G')+SHIFT are one key. With Ctrl the letter
            // is lowercased instead: terminals send Ctrl-G and Ctrl-Shift-G
            // alike.
            KeyCode::Char(c) => {
                let shift = mods.contains(KeyModifiers::SHIFT);
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else if shift {
                    KeyCode::Char(shifted(c))
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    /// Parses "j", "G", "shift-g" (the same as "G"), "ctrl-c", "alt-right",
    /// "shift-backspace", "space".
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            if rest.len() == len {
                break; // "ctrl-" alone, or the key "-" after a modifier
            }
            mods |= m;
            rest = &rest[len..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" => KeyCode::PageUp,
                "pagedown" => KeyCode::PageDown,
                "delete" | "del" => KeyCode::Delete,
                "insert" => KeyCode::Insert,
                f if f.starts_with('f')
                    && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
                {
                    KeyCode::F(f[1..].parse().unwrap_or(1))
                }
                _ => return Err(format!("unknown key \"{s}\"")),
            },
        };
        Ok(Key::new(code, mods))
    }

    /// How the help screen shows the key.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("Space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::Enter => out.push_str("Enter"),
            KeyCode::Esc => out.push_str("Esc"),
            KeyCode::Tab => out.push_str("Tab"),
            KeyCode::BackTab => out.push_str("Shift-Tab"),
            KeyCode::Backspace => out.push_str("Backspace"),
            KeyCode::Up => out.push('↑'),
            KeyCode::Down => out.push('↓'),
            KeyCode::Left => out.push('←'),
            KeyCode::Right => out.push('→'),
            KeyCode::Home => out.push_str("Home"),
            KeyCode::End => out.push_str("End"),
            KeyCode::PageUp => out.push_str("PgUp"),
            KeyCode::PageDown => out.push_str("PgDn"),
            KeyCode::Delete => out.push_str("Del"),
            KeyCode::Insert => out.push_str("Ins"),
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            _ => out.push('?'),
        }
        out
    }
}

/// The uppercase of `c` when it is one character ('g' → 'G'); else `c`
/// itself ('ß' would become "SS", which no key sends).
fn shifted(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// What is wrong with a keymap table. The messages do not name the file:
/// the caller does, since the same table comes from `keymap.toml` or from
/// `[keys]` in config.toml.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeymapError {
    /// Where the TOML stopped making sense, 1-based, and why in one line.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("unknown action \"{0}\"")]
    UnknownAction(String),
    #[error("{key_name} of \"{action}\": {message}")]
    BadKey {
        action: String,
        key_name: String,
        message: String,
    },
    #[error("quit needs a key: without one there is no way out but Ctrl-c")]
    NoQuit,
    #[error("Ctrl-c always quits; it cannot be bound to \"{0}\"")]
    CtrlC(String),
    #[error("key {key} is bound to both \"{first}\" and \"{second}\"")]
    Conflict {
        key: String,
        first: String,
        second: String,
    },
}

/// The merged table: which keys each action has, and the reverse lookup.
#[derive(Clone, Debug)]
pub struct Keymap {
    bindings: BTreeMap<Action, Vec<Key>>,
    lookup: HashMap<Key, Action>,
}

impl Keymap {
    pub fn defaults() -> Keymap {
        // The embedded table is ours and covered by a test: it always loads.
        Keymap::from_tables(DEFAULT_KEYMAP, None).unwrap_or_else(|e| panic!("built-in keymap: {e}"))
    }

    /// The defaults patched by a user's table.
    pub fn with_user(user: &str) -> Result<Keymap, KeymapError> {
        Keymap::from_tables(DEFAULT_KEYMAP, Some(user))
    }

    /// This keymap patched by another table (config.toml's `[keys]`).
    pub fn patched(&self, patch: &str) -> Result<Keymap, KeymapError> {
        let mut bindings = self.bindings.clone();
        bindings.extend(parse_table(patch)?);
        Keymap::from_bindings(bindings)
    }

    fn from_tables(default: &str, user: Option<&str>) -> Result<Keymap, KeymapError> {
        let mut bindings = parse_table(default)?;
        if let Some(user) = user {
            bindings.extend(parse_table(user)?);
        }
        Keymap::from_bindings(bindings)
    }

    fn from_bindings(mut bindings: BTreeMap<Action, Vec<Key>>) -> Result<Keymap, KeymapError> {
        // Whatever the table says, the user is never locked in.
        if let Some((&action, _)) = bindings
            .iter()
            .find(|(&a, keys)| a != Action::Quit && keys.contains(&CTRL_C))
        {
            return Err(KeymapError::CtrlC(action_name(action)));
        }
        let quit = bindings.entry(Action::Quit).or_default();
        if quit.is_empty() {
            return Err(KeymapError::NoQuit);
        }
        if !quit.contains(&CTRL_C) {
            quit.push(CTRL_C);
        }
        let mut lookup = HashMap::new();
        for (&action, keys) in &bindings {
            for &key in keys {
                if let Some(prev) = lookup.insert(key, action) {
                    if prev != action {
                        return Err(KeymapError::Conflict {
                            key: key.label(),
                            first: action_name(prev),
                            second: action_name(action),
                        });
                    }
                }
            }
        }
        Ok(Keymap { bindings, lookup })
    }

    pub fn action(&self, ev: &KeyEvent) -> Option<Action> {
        self.lookup.get(&Key::from_event(ev)).copied()
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        self.bindings.get(&action).map_or(&[], Vec::as_slice)
    }

    /// "j/↓" — the keys of an action for hints and help.
    pub fn label(&self, action: Action) -> String {
        self.keys(action)
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join("/")
    }
}

fn action_name(a: Action) -> String {
    // The serde name is the keymap file's name for the action.
    format!("{a:?}")
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let sep = (i > 0 && c.is_uppercase()).then_some('_');
            sep.into_iter().chain(c.to_lowercase())
        })
        .collect()
}

fn parse_table(text: &str) -> Result<BTreeMap<Action, Vec<Key>>, KeymapError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| syntax_error(text, &e))?;
    let mut out = BTreeMap::new();
    for (name, value) in table {
        let action: Action = toml::Value::String(name.clone())
            .try_into()
            .map_err(|_| KeymapError::UnknownAction(name.clone()))?;
        let list = match value {
            toml::Value::String(s) => vec![s],
            toml::Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    toml::Value::String(s) => Ok(s),
                    other => Err(KeymapError::BadKey {
                        action: name.clone(),
                        key_name: other.to_string(),
                        message: "keys are strings".into(),
                    }),
                })
                .collect::<Result<_, _>>()?,
            other => {
                return Err(KeymapError::BadKey {
                    action: name,
                    key_name: other.to_string(),
                    message: "expected a list of keys".into(),
                })
            }
        };
        let keys = list
            .iter()
            .map(|k| {
                Key::parse(k).map_err(|message| KeymapError::BadKey {
                    action: name.clone(),
                    key_name: format!("\"{k}\""),
                    message,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.insert(action, keys);
    }
    Ok(out)
}

/// toml's own text spans several lines (a copy of the line and a caret),
/// which a status line cannot show: keep the position and the message.
fn syntax_error(text: &str, e: &toml::de::Error) -> KeymapError {
    // toml names a span for every syntax error; without one, the end of the
    // text is where reading stopped.
    let at = e.span().map_or(text.len(), |s| s.start);
    let (line, column) = line_column(text, at);
    let message = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    KeymapError::Syntax {
        line,
        column,
        message,
    }
}

/// The 1-based line and column (in characters) of byte offset `at`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    for (i, c) in text.char_indices() {
        if i >= at {
            break;
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventKind;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers: mods,
            kind: KeyEventKind::Press,
            state: crossterm::event::KeyEventState::NONE,
        }
    }

    #[test]
    fn defaults_load_and_cover_every_action() {
        let km = Keymap::defaults();
        for &a in Action::ALL {
            assert!(!km.keys(a).is_empty(), "{a:?} has no key");
        }
        assert_eq!(
            km.action(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            km.action(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevLink)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Right, KeyModifiers::ALT)),
            Some(Action::Forward)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
    }

    #[test]
    fn user_patch_replaces_keys_of_named_actions() {
        let km = Keymap::with_user("down = [\"ctrl-n\"]").unwrap();
        assert_eq!(
            km.action(&ev(KeyCode::Char('n'), KeyModifiers::CONTROL)),
            Some(Action::Down)
        );
        assert_eq!(km.action(&ev(KeyCode::Char('j'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn ctrl_c_always_quits_and_quit_keeps_a_key() {
        let ctrl_c = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        let km = Keymap::with_user("quit = [\"x\"]").unwrap();
        assert_eq!(km.action(&ctrl_c), Some(Action::Quit));
        assert_eq!(
            km.action(&ev(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(km.action(&ev(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        assert_eq!(
            Keymap::with_user("quit = []").unwrap_err(),
            KeymapError::NoQuit
        );
        let e = Keymap::with_user("down = [\"ctrl-c\"]").unwrap_err();
        assert_eq!(e, KeymapError::CtrlC("down".into()));
        // A patch from config.toml is held to the same rule.
        let e = Keymap::defaults().patched("quit = []").unwrap_err();
        assert_eq!(e, KeymapError::NoQuit);
    }

    #[test]
    fn conflict_names_the_key() {
        let err = Keymap::with_user("down = [\"q\"]").unwrap_err();
        assert!(err.to_string().contains("key q"), "{err}");
        assert!(
            err.to_string().contains("quit") && err.to_string().contains("down"),
            "{err}"
        );
    }

    #[test]
    fn bad_entries_are_named() {
        assert!(
            matches!(Keymap::with_user("fly = [\"x\"]"), Err(KeymapError::UnknownAction(a)) if a == "fly")
        );
        let e = Keymap::with_user("down = [\"hyper-x\"]").unwrap_err();
        assert!(e.to_string().contains("hyper-x"), "{e}");
        assert!(matches!(
            Keymap::with_user("down = ["),
            Err(KeymapError::Syntax { line: 1, .. })
        ));
    }

    #[test]
    fn shift_with_a_letter_is_the_capital() {
        assert_eq!(Key::parse("shift-g"), Key::parse("G"));
        assert_ne!(Key::parse("shift-g"), Key::parse("g"));
        // Before, "shift-g" meant "g" and clashed with `top`.
        let km = Keymap::with_user("bottom = [\"shift-g\"]").unwrap();
        assert_eq!(
            km.action(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('g'), KeyModifiers::NONE)),
            Some(Action::Top)
        );
        // Ctrl still folds the case: terminals send both alike.
        assert_eq!(Key::parse("ctrl-shift-c"), Key::parse("ctrl-c"));
    }

    #[test]
    fn a_users_shift_letter_shows_and_fires_as_the_capital() {
        let km = Keymap::with_user("bookmark = [\"shift-x\"]").unwrap();
        assert_eq!(km.label(Action::Bookmark), "X");
        // As crossterm reports it without and with the kitty protocol.
        for c in ['X', 'x'] {
            assert_eq!(
                km.action(&ev(KeyCode::Char(c), KeyModifiers::SHIFT)),
                Some(Action::Bookmark),
                "{c}"
            );
        }
        assert_eq!(km.action(&ev(KeyCode::Char('x'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn back_and_forward_have_keys_every_terminal_sends() {
        let km = Keymap::defaults();
        let back = [
            ev(KeyCode::Backspace, KeyModifiers::NONE),
            ev(KeyCode::Char('H'), KeyModifiers::SHIFT),
        ];
        for e in back {
            assert_eq!(km.action(&e), Some(Action::Back), "{e:?}");
        }
        let forward = [
            ev(KeyCode::Char('L'), KeyModifiers::SHIFT),
            ev(KeyCode::Right, KeyModifiers::ALT),
            ev(KeyCode::Backspace, KeyModifiers::SHIFT),
        ];
        for e in forward {
            assert_eq!(km.action(&e), Some(Action::Forward), "{e:?}");
        }
        // The lowercase letters still move between panes.
        assert_eq!(
            km.action(&ev(KeyCode::Char('l'), KeyModifiers::NONE)),
            Some(Action::FocusRight)
        );
    }

    #[test]
    fn syntax_errors_give_line_column_and_a_short_message() {
        let e = Keymap::with_user("quit = [\"x\"").unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("line 1, column 12: "), "{text}");
        assert!(!text.contains('\n') && !text.contains('^'), "{text}");
        assert!(
            !text.contains("keymap"),
            "the caller names the file: {text}"
        );
        let e = Keymap::with_user("up = [\"k\"]\n\ndown = = [\"j\"]").unwrap_err();
        assert!(
            matches!(
                e,
                KeymapError::Syntax {
                    line: 3,
                    column: 8,
                    ..
                }
            ),
            "{e:?}"
        );
        // Columns count characters, not bytes.
        assert_eq!(line_column("é = ?", 5), (1, 5));
        assert_eq!(line_column("a\nbc", 4), (2, 3));
    }

    #[test]
    fn labels_read_naturally() {
        assert_eq!(Key::parse("ctrl-c").unwrap().label(), "Ctrl-c");
        assert_eq!(Key::parse("space").unwrap().label(), "Space");
        assert_eq!(Key::parse("-").unwrap().label(), "-");
        assert_eq!(action_name(Action::PageDown), "page_down");
    }
}
