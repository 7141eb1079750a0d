//! The terminal given back when the process aborts (an allocation that
//! fails, a panic while panicking, SIGABRT from outside): an abort skips
//! the panic hook and every destructor, so a SIGABRT handler restores the
//! terminal itself, with async-signal-safe calls only, then lets the abort
//! go on.

use std::sync::atomic::Ordering;
use std::sync::OnceLock;

/// The terminal's settings before raw mode, for the handler to put back.
static COOKED: OnceLock<libc::termios> = OnceLock::new();

/// Keeps the terminal's settings and installs the handler. Before raw
/// mode is entered; without a terminal it does nothing.
pub fn install() {
    let mut t = std::mem::MaybeUninit::<libc::termios>::uninit();
    // SAFETY: tcgetattr writes a whole termios when it returns 0.
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, t.as_mut_ptr()) } != 0 {
        return;
    }
    // SAFETY: initialised by the successful call above.
    let _ = COOKED.set(unsafe { t.assume_init() });
    // SAFETY: `restore` only writes, sets terminal attributes, resets the
    // signal's disposition and raises it: all async-signal-safe.
    let _ = unsafe { signal_hook::low_level::register(libc::SIGABRT, restore) };
}

/// Undoes `setup_terminal` as `restore_terminal` does, in bytes: the
/// keyboard flags (only when pushed: a pop too many takes the shell's),
/// mouse reporting, the alternate screen, the hidden cursor, raw mode.
fn restore() {
    const POP_KEYS: &[u8] = b"\x1b[<1u";
    const REST: &[u8] =
        b"\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?1049l\x1b[?25h";
    let write = |b: &[u8]| {
        // SAFETY: write(2) on a valid buffer; errors are ignored.
        let _ = unsafe { libc::write(libc::STDOUT_FILENO, b.as_ptr().cast(), b.len()) };
    };
    if super::KEYS_PUSHED.swap(false, Ordering::Relaxed) {
        write(POP_KEYS);
    }
    write(REST);
    if let Some(t) = COOKED.get() {
        // SAFETY: a termios read by tcgetattr.
        unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, t) };
    }
    // An abort() raises again by itself; a SIGABRT sent from outside must
    // still end the process, with the default action. Blocked while this
    // handler runs, the signal is delivered once it returns.
    // SAFETY: both are async-signal-safe.
    unsafe {
        libc::signal(libc::SIGABRT, libc::SIG_DFL);
        libc::raise(libc::SIGABRT);
    }
}
