//! A line diff (Myers) printed as a unified diff, for `:diff`.

/// One step of an edit script: indexes into the old and new lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// Beyond this many differing lines the diff stops searching for a minimal script and
/// replaces the whole changed middle (memory grows with the square of the edit distance).
const MAX_EDITS: usize = 2000;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Unified diff of `old` and `new` (empty when their lines are equal).
pub(super) fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = diff(&a, &b);
    if ops.iter().all(|o| matches!(o, Op::Equal(..))) {
        return String::new();
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    for hunk in hunks(&ops) {
        write_hunk(&mut out, &ops[hunk.0..hunk.1], &a, &b);
    }
    out
}

fn diff(a: &[&str], b: &[&str]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Equal(i, i)).collect();
    let middle = myers(am, bm).unwrap_or_else(|| {
        (0..am.len())
            .map(Op::Delete)
            .chain((0..bm.len()).map(Op::Insert))
            .collect()
    });
    ops.extend(middle.into_iter().map(|o| match o {
        Op::Equal(x, y) => Op::Equal(x + prefix, y + prefix),
        Op::Delete(x) => Op::Delete(x + prefix),
        Op::Insert(y) => Op::Insert(y + prefix),
    }));
    let (sa, sb) = (a.len() - suffix, b.len() - suffix);
    ops.extend((0..suffix).map(|i| Op::Equal(sa + i, sb + i)));
    ops
}

/// Myers' O((N+M)D) shortest edit script, or `None` past [`MAX_EDITS`].
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let off = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    // trace[d] holds v[-d..=d] as it was before round d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let at = |k: isize| (off + k) as usize;
    for d in 0..=(max.min(MAX_EDITS) as isize) {
        trace.push(v[at(-d)..=at(d)].to_vec());
        for k in (-d..=d).step_by(2) {
            let down = k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]);
            let mut x = if down { v[at(k + 1)] } else { v[at(k - 1)] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[at(k)] = x;
            if x >= n && y >= m {
                return Some(backtrack(&trace, n, m));
            }
        }
    }
    None
}

fn backtrack(trace: &[Vec<isize>], n: isize, m: isize) -> Vec<Op> {
    let (mut x, mut y) = (n, m);
    let mut ops = Vec::new();
    for d in (1..trace.len() as isize).rev() {
        let v = &trace[d as usize];
        let get = |k: isize| v[(k + d) as usize];
        let k = x - y;
        let down = k == -d || (k != d && get(k - 1) < get(k + 1));
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = get(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            ops.push(Op::Equal(x as usize, y as usize));
        }
        if down {
            ops.push(Op::Insert(prev_y as usize));
        } else {
            ops.push(Op::Delete(prev_x as usize));
        }
        x = prev_x;
        y = prev_y;
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        ops.push(Op::Equal(x as usize, y as usize));
    }
    ops.reverse();
    ops
}

/// Ranges of `ops` to print: each change with [`CONTEXT`] lines around it, nearby changes merged.
fn hunks(ops: &[Op]) -> Vec<(usize, usize)> {
    let changes: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o, Op::Equal(..)))
        .map(|(i, _)| i)
        .collect();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &c in &changes {
        let start = c.saturating_sub(CONTEXT);
        let end = (c + 1 + CONTEXT).min(ops.len());
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => out.push((start, end)),
        }
    }
    out
}

fn write_hunk(out: &mut String, ops: &[Op], a: &[&str], b: &[&str]) {
    // Where this hunk starts in each file: the first line it touches there.
    let mut a_start = None;
    let mut b_start = None;
    let (mut a_len, mut b_len) = (0, 0);
    let mut body = String::new();
    for op in ops {
        match *op {
            Op::Equal(x, y) => {
                a_start.get_or_insert(x);
                b_start.get_or_insert(y);
                a_len += 1;
                b_len += 1;
                body.push_str(&format!(" {}\n", a[x]));
            }
            Op::Delete(x) => {
                a_start.get_or_insert(x);
                a_len += 1;
                body.push_str(&format!("-{}\n", a[x]));
            }
            Op::Insert(y) => {
                b_start.get_or_insert(y);
                b_len += 1;
                body.push_str(&format!("+{}\n", b[y]));
            }
        }
    }
    // With context lines a side is only empty when its file is: GNU diff writes `0,0`.
    let num = |start: Option<usize>, len: usize| match start {
        Some(s) if len > 0 => format!("{},{len}", s + 1),
        _ => "0,0".to_string(),
    };
    out.push_str(&format!(
        "@@ -{} +{} @@\n{body}",
        num(a_start, a_len),
        num(b_start, b_len)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_give_nothing() {
        assert_eq!(unified("a\nb\n", "a\nb\n", "a", "b"), "");
    }

    #[test]
    fn a_changed_line_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            unified(old, new, "a/f", "b/f"),
            "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn new_file_and_separate_hunks() {
        assert_eq!(
            unified("", "x\ny\n", "/dev/null", "b/f"),
            "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n"
        );
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new: String = (1..=20)
            .filter(|i| *i != 18)
            .map(|i| {
                if i == 2 {
                    "two\n".to_string()
                } else {
                    format!("{i}\n")
                }
            })
            .collect();
        let d = unified(&old, &new, "a", "b");
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
        assert!(d.contains("-2\n+two\n"));
        assert!(
            d.contains("@@ -15,6 +15,5 @@\n 15\n 16\n 17\n-18\n 19\n 20\n"),
            "{d}"
        );
    }

    #[test]
    fn edit_scripts_reproduce_the_new_text() {
        let cases = [
            ("a b c a b b a", "c b a b a c"),
            ("x y z", "a b c"),
            ("", "a"),
            ("a", ""),
            ("a a a b", "b a a a"),
        ];
        for (old, new) in cases {
            let a: Vec<&str> = old.split(' ').filter(|s| !s.is_empty()).collect();
            let b: Vec<&str> = new.split(' ').filter(|s| !s.is_empty()).collect();
            let ops = diff(&a, &b);
            let rebuilt: Vec<&str> = ops
                .iter()
                .filter_map(|o| match *o {
                    Op::Equal(x, _) => Some(a[x]),
                    Op::Insert(y) => Some(b[y]),
                    Op::Delete(_) => None,
                })
                .collect();
            assert_eq!(rebuilt, b, "{old:?} -> {new:?}");
            let kept: Vec<&str> = ops
                .iter()
                .filter_map(|o| match *o {
                    Op::Equal(x, _) | Op::Delete(x) => Some(a[x]),
                    Op::Insert(_) => None,
                })
                .collect();
            assert_eq!(kept, a);
        }
        // "abcabba" → "cbabac" needs 5 edits (the classic Myers example).
        let a: Vec<&str> = "a b c a b b a".split(' ').collect();
        let b: Vec<&str> = "c b a b a c".split(' ').collect();
        let edits = myers(&a, &b)
            .unwrap()
            .iter()
            .filter(|o| !matches!(o, Op::Equal(..)))
            .count();
        assert_eq!(edits, 5);
    }
}
