//! The terminal side: a rustyline editor with completion, hints and multi-line input, and a
//! plain loop for inputs from `--eval` or a pipe.

use super::session::{Output, Session};
use crate::diag::report::Format;
use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};
use std::borrow::Cow;
use std::cell::RefCell;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::rc::Rc;

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ariadne, short or JSON.
    pub format: Format,
    /// ANSI colours in reports (and the prompt, interactively).
    pub color: bool,
}

/// Prints an output: text to stdout, diagnostics to stderr.
fn print(out: &Output, style: Style) {
    if !out.text.is_empty() {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(out.text.as_bytes());
        let _ = stdout.flush();
    }
    if !out.diagnostics.is_empty() {
        eprint!("{}", out.report(style.format, style.color));
    }
}

/// Splits text into inputs the way the interactive editor would: a line that leaves a block,
/// call or string open continues on the next.
pub fn split_inputs(text: &str) -> Vec<String> {
    let mut inputs = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(line);
        let t = pending.trim_start();
        if t.is_empty() {
            pending.clear();
            continue;
        }
        if t.starts_with(':') || !crate::script::is_incomplete(&pending) {
            inputs.push(std::mem::take(&mut pending));
        }
    }
    if !pending.trim().is_empty() {
        inputs.push(pending);
    }
    inputs
}

/// Runs inputs without a prompt; returns the exit code (1 when any input failed).
pub fn batch(session: &mut Session, inputs: &[String], style: Style) -> u8 {
    let mut code = 0;
    for input in inputs {
        let out = session.execute(input);
        print(&out, style);
        if out.failed() {
            code = 1;
        }
        if out.quit {
            break;
        }
    }
    code
}

/// Reads inputs from a non-terminal stdin and runs them.
pub fn piped(session: &mut Session, style: Style) -> u8 {
    let mut text = String::new();
    for line in std::io::stdin().lock().lines() {
        match line {
            Ok(l) => {
                text.push_str(&l);
                text.push('\n');
            }
            Err(e) => {
                eprintln!("error: cannot read stdin: {}", crate::diag::io_cause(&e));
                return 1;
            }
        }
    }
    batch(session, &split_inputs(&text), style)
}

/// The rustyline helper: every callback asks the shared session.
struct ReplHelper {
    session: Rc<RefCell<Session>>,
    color: bool,
}

impl Completer for ReplHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(self.session.borrow().complete(line, pos))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        if pos < line.len() {
            return None;
        }
        self.session.borrow().hint(line)
    }
}

impl Highlighter for ReplHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        if self.color {
            Cow::Owned(format!("\x1b[1;32m{prompt}\x1b[0m"))
        } else {
            Cow::Borrowed(prompt)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if input.trim_start().starts_with(':') || !crate::script::is_incomplete(input) {
            Ok(ValidationResult::Valid(None))
        } else {
            Ok(ValidationResult::Incomplete)
        }
    }
}

impl Helper for ReplHelper {}

/// `$XDG_STATE_HOME/talforge/history`, else `~/.local/state/talforge/history`.
pub(super) fn history_path() -> Option<PathBuf> {
    history_path_in(|k| std::env::var_os(k))
}

fn history_path_in(env: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    let nonempty = |k: &str| env(k).filter(|v| !v.is_empty());
    let state = match nonempty("XDG_STATE_HOME") {
        Some(s) => PathBuf::from(s),
        None => PathBuf::from(nonempty("HOME")?).join(".local/state"),
    };
    Some(state.join("talforge").join("history"))
}

const PROMPT: &str = "talforge> ";

/// The interactive REPL on a terminal; returns the exit code.
pub fn interactive(session: Session, style: Style) -> u8 {
    let session = Rc::new(RefCell::new(session));
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .max_history_size(10_000)
        .and_then(|c| c.history_ignore_dups(true))
        .map(|c| c.build())
        .unwrap_or_default();
    let mut rl: Editor<ReplHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(rl) => rl,
        Err(e) => {
            eprintln!("error: cannot start the line editor: {e}");
            return 1;
        }
    };
    rl.set_helper(Some(ReplHelper {
        session: session.clone(),
        color: style.color,
    }));
    let history = history_path();
    if let Some(h) = &history {
        // A missing history file is the first run, not an error.
        let _ = rl.load_history(h);
    }
    println!("talforge repl: Rhai statements or `:help`; Tab completes, Ctrl-D quits");
    loop {
        match rl.readline(PROMPT) {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                let _ = rl.add_history_entry(line.as_str());
                let out = session.borrow_mut().execute(&line);
                print(&out, style);
                if out.quit {
                    break;
                }
            }
            // Ctrl-C drops the line being edited and starts a fresh prompt.
            Err(ReadlineError::Interrupted) => {}
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = rl.save_history(h) {
            eprintln!("warning: cannot save history to `{}`: {e}", h.display());
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_lives_in_the_xdg_state_dir() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| std::ffi::OsString::from(v))
            }
        };
        assert_eq!(
            history_path_in(env(&[("XDG_STATE_HOME", "/s"), ("HOME", "/h")])),
            Some(PathBuf::from("/s/talforge/history"))
        );
        assert_eq!(
            history_path_in(env(&[("XDG_STATE_HOME", ""), ("HOME", "/h")])),
            Some(PathBuf::from("/h/.local/state/talforge/history"))
        );
        assert_eq!(history_path_in(env(&[])), None);
    }

    #[test]
    fn splits_piped_text_into_inputs() {
        let text = ":nodes\nfn f(x) {\n  x + 1\n}\n\nf(1)\nlet a = [1,\n 2];\n:show a b\n";
        assert_eq!(
            split_inputs(text),
            vec![
                ":nodes",
                "fn f(x) {\n  x + 1\n}",
                "f(1)",
                "let a = [1,\n 2];",
                ":show a b"
            ]
        );
        assert_eq!(split_inputs("fn g() {"), vec!["fn g() {"]);
    }
}
