//! CEL expressions as Talos compiles them (`pkg/machinery/cel`): parsed by the `cel` crate
//! (the same ANTLR grammar as cel-go), type-checked against a Talos environment, errors in
//! cel-go's display format (`ERROR: <input>:1:11: …` with the source line and a caret).

mod check;
mod env;
#[cfg(test)]
pub(crate) mod eval;
mod types;

pub(crate) use env::Env;
pub(crate) use types::Type;

/// Why an expression does not compile; its display is the error text Talos wraps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CelError {
    /// Parse or type-check errors in cel-go's display format (the message, the source line
    /// and a caret), in source order.
    Compile(Vec<String>),
    /// The expression is well typed, but not of the type asked for.
    OutputType {
        /// Its type.
        found: Type,
        /// The type asked for.
        want: Type,
    },
}

impl std::fmt::Display for CelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CelError::Compile(shown) => f.write_str(&shown.join("\n")),
            CelError::OutputType { found, want } => {
                write!(f, "expression output type is {found}, expected {want}")
            }
        }
    }
}

/// `cel.ParseBooleanExpression` / `Expression.ParseBool`.
pub(crate) fn check_bool(expr: &str, env: Env) -> Result<(), CelError> {
    check_output(expr, env, &Type::Bool)
}

/// `Expression.ParseDouble`.
pub(crate) fn check_double(expr: &str, env: Env) -> Result<(), CelError> {
    check_output(expr, env, &Type::Double)
}

fn check_output(expr: &str, env: Env, want: &Type) -> Result<(), CelError> {
    let parser = ::cel::parser::Parser::new();
    let (ast, info) = match parser.parse_with_source_info(expr) {
        Ok(x) => x,
        Err(errs) => {
            let shown: Vec<String> = errs
                .errors
                .iter()
                .map(|e| display(expr, e.pos.0, e.pos.1 - 1, &e.msg))
                .collect();
            return Err(CelError::Compile(shown));
        }
    };
    let mut checker = check::Checker::new(env);
    let out = checker.check(&ast);
    if !checker.errors.is_empty() {
        let mut located: Vec<(usize, usize, String)> = checker
            .errors
            .iter()
            .map(|(id, msg)| {
                let offset = info.offset_for(*id).map_or(0, |(s, _)| s as usize);
                let (line, col) = line_col(expr, offset);
                (line, col, msg.clone())
            })
            .collect();
        // cel-go sorts its errors by location before printing them
        located.sort_by_key(|(l, c, _)| (*l, *c));
        let shown: Vec<String> = located
            .iter()
            .map(|(l, c, m)| display(expr, *l as isize, *c as isize, m))
            .collect();
        return Err(CelError::Compile(shown));
    }
    if !out.is_exact(want) {
        return Err(CelError::OutputType {
            found: out,
            want: want.clone(),
        });
    }
    Ok(())
}

/// 1-based line and 0-based column (in characters) of a character offset.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let (mut line, mut col) = (1, 0);
    for c in src.chars().take(offset) {
        if c == '\n' {
            line += 1;
            col = 0;
        } else {
            col += 1;
        }
    }
    (line, col)
}

/// cel-go's `Error.ToDisplayString`: the message, then the source line and a caret under the
/// column (dots before it).
fn display(src: &str, line: isize, col: isize, msg: &str) -> String {
    let col = col.max(0) as usize;
    let mut out = format!("ERROR: <input>:{line}:{}: {msg}", col + 1);
    if let Some(text) = src.lines().nth((line.max(1) - 1) as usize) {
        out.push_str(&format!("\n | {text}\n | {}^", ".".repeat(col)));
    }
    out
}

#[cfg(test)]
mod tests;
