//! What an emulated terminal answers, as a real one would: the cursor
//! position (DSR 6), which crossterm asks for (e.g. in ratatui's
//! `Terminal::clear`), and the primary device attributes (DA1), which
//! follow the kitty keyboard query at start. Without an answer baca would
//! stall two seconds. The kitty query itself gets none: this terminal is
//! one without the protocol, as most are.
//! Shared by `tests/e2e.rs` and `benches/startup.rs` through `#[path]`.

#[derive(Default)]
pub struct Replies(pub Vec<u8>);

impl vt100::Callbacks for Replies {
    fn unhandled_csi(
        &mut self,
        screen: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        if c == 'n' && i1.is_none() && params == [&[6u16][..]] {
            let (row, col) = screen.cursor_position();
            let reply = format!("\x1b[{};{}R", u32::from(row) + 1, u32::from(col) + 1);
            self.0.extend_from_slice(reply.as_bytes());
        } else if c == 'c' && i1.is_none() && matches!(params, [] | [[0]]) {
            // "A VT100 with advanced video", as xterm answers.
            self.0.extend_from_slice(b"\x1b[?1;2c");
        }
    }
}
