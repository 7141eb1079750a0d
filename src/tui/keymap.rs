//! Keys → actions. The default table is `assets/keymap.toml`, compiled in;
//! a user's `keymap.toml` in the config folder replaces the keys of the
//! actions it names. A key bound to two actions is an error that names it,
//! and the help screen is generated from the same table.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::{BTreeMap, HashMap};

pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

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
            // The character already says whether shift was held.
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
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

    /// Parses "j", "G", "ctrl-c", "alt-right", "shift-backspace", "space".
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

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeymapError {
    #[error("keymap: {0}")]
    Syntax(String),
    #[error("keymap: unknown action \"{0}\"")]
    UnknownAction(String),
    #[error("keymap: {key_name} of \"{action}\": {message}")]
    BadKey {
        action: String,
        key_name: String,
        message: String,
    },
    #[error("keymap: key {key} is bound to both \"{first}\" and \"{second}\"")]
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

    fn from_bindings(bindings: BTreeMap<Action, Vec<Key>>) -> Result<Keymap, KeymapError> {
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
        .map_err(|e: toml::de::Error| KeymapError::Syntax(e.to_string()))?;
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
            Err(KeymapError::Syntax(_))
        ));
    }

    #[test]
    fn labels_read_naturally() {
        assert_eq!(Key::parse("ctrl-c").unwrap().label(), "Ctrl-c");
        assert_eq!(Key::parse("space").unwrap().label(), "Space");
        assert_eq!(Key::parse("-").unwrap().label(), "-");
        assert_eq!(action_name(Action::PageDown), "page_down");
    }
}
