//! A CEL type checker over the `cel` crate's parsed AST, reporting what cel-go's checker
//! reports (`undeclared reference`, `found no matching overload`, `undefined field`).

use super::env::{self, Env};
use super::types::Type;
use ::cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue};

/// Type-checks an expression; errors are (expression id, message) in report order.
pub(super) struct Checker {
    env: Env,
    scopes: Vec<(String, Type)>,
    pub(super) errors: Vec<(u64, String)>,
}

impl Checker {
    pub(super) fn new(env: Env) -> Checker {
        Checker {
            env,
            scopes: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn report(&mut self, id: u64, msg: String) -> Type {
        self.errors.push((id, msg));
        Type::Error
    }

    fn undeclared(&mut self, id: u64, name: &str) -> Type {
        self.report(
            id,
            format!("undeclared reference to '{name}' (in container '')"),
        )
    }

    /// The type of `e`, reporting every error below it.
    pub(super) fn check(&mut self, e: &IdedExpr) -> Type {
        match &e.expr {
            Expr::Literal(l) => literal(l),
            Expr::Ident(name) => self.ident(e.id, name),
            Expr::Select(s) => {
                let operand = self.check(&s.operand);
                let t = self.select(e.id, &operand, &s.field);
                if s.test && t != Type::Error {
                    Type::Bool
                } else {
                    t
                }
            }
            Expr::Call(c) => {
                let target = c.target.as_ref().map(|t| self.check(t));
                let args: Vec<Type> = c.args.iter().map(|a| self.check(a)).collect();
                self.call(e.id, &c.func_name, target, args)
            }
            Expr::List(l) => {
                let ts: Vec<Type> = l.elements.iter().map(|x| self.check(x)).collect();
                Type::list(join_all(&ts))
            }
            Expr::Map(m) => {
                let (mut ks, mut vs) = (Vec::new(), Vec::new());
                for entry in &m.entries {
                    if let EntryExpr::MapEntry(me) = &entry.expr {
                        ks.push(self.check(&me.key));
                        vs.push(self.check(&me.value));
                    }
                }
                Type::map(join_all(&ks), join_all(&vs))
            }
            Expr::Struct(s) => {
                for entry in &s.entries {
                    if let EntryExpr::StructField(f) = &entry.expr {
                        self.check(&f.value);
                    }
                }
                self.undeclared(e.id, &s.type_name)
            }
            Expr::Comprehension(c) => self.comprehension(c),
            Expr::Unspecified => Type::Error,
            #[allow(unreachable_patterns)]
            _ => Type::Dyn,
        }
    }

    fn ident(&mut self, id: u64, name: &str) -> Type {
        if let Some((_, t)) = self.scopes.iter().rev().find(|(n, _)| n == name) {
            return t.clone();
        }
        if let Some(t) = self.env.ident(name) {
            return t;
        }
        let type_of = match name {
            "bool" => Type::Bool,
            "int" => Type::Int,
            "uint" => Type::Uint,
            "double" => Type::Double,
            "string" => Type::String,
            "bytes" => Type::Bytes,
            "null_type" => Type::Null,
            "dyn" => Type::Dyn,
            "list" => Type::list(Type::Dyn),
            "map" => Type::map(Type::Dyn, Type::Dyn),
            "type" => Type::Meta(Box::new(Type::Dyn)),
            _ => return self.undeclared(id, name),
        };
        Type::Meta(Box::new(type_of))
    }

    fn select(&mut self, id: u64, operand: &Type, field: &str) -> Type {
        match operand {
            Type::Error => Type::Error,
            Type::Dyn => Type::Dyn,
            Type::Message(m) => match env::field(m, field) {
                Some(t) => t,
                None => self.report(id, format!("undefined field '{field}'")),
            },
            Type::Map(k, v) if k.accepts(&Type::String) => (**v).clone(),
            t => self.report(id, format!("type '{t}' does not support field selection")),
        }
    }

    fn call(&mut self, id: u64, name: &str, target: Option<Type>, args: Vec<Type>) -> Type {
        let member = target.is_some();
        let all: Vec<Type> = target.into_iter().chain(args).collect();
        if all.contains(&Type::Error) {
            return Type::Error;
        }
        if let Some(t) = generic(name, member, &all, self.env.optional_types()) {
            return t.unwrap_or_else(|| self.no_overload(id, name, member, &all));
        }
        let mut overloads = env::standard(name, member);
        if !member {
            overloads.extend(
                self.env
                    .functions()
                    .into_iter()
                    .filter(|(n, _, _)| *n == name)
                    .map(|(_, p, r)| (p, r)),
            );
        }
        if overloads.is_empty() && !known_elsewhere(name, member, self.env) {
            return self.undeclared(id, name);
        }
        let matching: Vec<Type> = overloads
            .into_iter()
            .filter(|(params, _)| {
                params.len() == all.len() && params.iter().zip(&all).all(|(p, a)| p.accepts(a))
            })
            .map(|(_, r)| r)
            .collect();
        match matching.split_first() {
            None => self.no_overload(id, name, member, &all),
            Some((first, rest)) if rest.iter().all(|r| r == first) => first.clone(),
            Some(_) => Type::Dyn,
        }
    }

    fn no_overload(&mut self, id: u64, name: &str, member: bool, args: &[Type]) -> Type {
        let list = |ts: &[Type]| {
            ts.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sig = match (member, args.split_first()) {
            (true, Some((t, rest))) => format!("{t}.({})", list(rest)),
            _ => format!("({})", list(args)),
        };
        self.report(
            id,
            format!("found no matching overload for '{name}' applied to '{sig}'"),
        )
    }

    fn comprehension(&mut self, c: &::cel::common::ast::ComprehensionExpr) -> Type {
        let range = self.check(&c.iter_range);
        let (var, var2) = match &range {
            Type::List(t) => (Type::Int, (**t).clone()),
            Type::Map(k, v) => ((**k).clone(), (**v).clone()),
            Type::Dyn | Type::Error => (Type::Dyn, Type::Dyn),
            t => {
                let t = t.clone();
                self.report(
                    c.iter_range.id,
                    format!("expression of type '{t}' cannot be range of a comprehension (must be list, map, or dynamic)"),
                );
                (Type::Dyn, Type::Dyn)
            }
        };
        let accu = self.check(&c.accu_init);
        let depth = self.scopes.len();
        self.scopes.push((c.accu_var.clone(), accu.clone()));
        // One variable ranges over list elements or map keys; two over (index, element).
        if let Some(v2) = &c.iter_var2 {
            self.scopes.push((c.iter_var.clone(), var));
            self.scopes.push((v2.clone(), var2));
        } else {
            let single = if matches!(range, Type::List(_)) {
                var2
            } else {
                var
            };
            self.scopes.push((c.iter_var.clone(), single));
        }
        self.check(&c.loop_cond);
        let step = self.check(&c.loop_step);
        // an empty-list accumulator (`map`, `filter`) takes the step's element type
        if accu == Type::list(Type::Dyn) && matches!(step, Type::List(_)) {
            self.scopes[depth].1 = step;
        }
        self.scopes.truncate(depth + 1);
        let result = self.check(&c.result);
        self.scopes.truncate(depth);
        result
    }
}

/// Functions with type parameters: `Some(None)` when the name is theirs but nothing matches.
#[allow(clippy::option_option)] // none (not a CEL value) differs from some none (a null)
fn generic(name: &str, member: bool, a: &[Type], optional: bool) -> Option<Option<Type>> {
    let both = |x: &Type, y: &Type| x.accepts(y) && y.accepts(x);
    let r = match (name, member, a) {
        ("_==_" | "_!=_", false, [x, y]) => both(x, y).then_some(Type::Bool),
        ("_?_:_", false, [c, x, y]) => (Type::Bool.accepts(c) && both(x, y)).then(|| x.join(y)),
        ("_[_]", false, [Type::List(t), i]) => Type::Int.accepts(i).then(|| (**t).clone()),
        ("_[_]", false, [Type::Map(k, v), key]) => k.accepts(key).then(|| (**v).clone()),
        ("_[_]", false, [Type::Dyn, _]) => Some(Type::Dyn),
        ("_[_]", false, _) => None,
        ("@in", false, [x, Type::List(t)]) => both(x, t).then_some(Type::Bool),
        ("@in", false, [x, Type::Map(k, _)]) => both(x, k).then_some(Type::Bool),
        ("@in", false, [_, Type::Dyn]) => Some(Type::Bool),
        ("@in", false, _) => None,
        ("_+_", false, [Type::List(x), Type::List(y)]) if both(x, y) => Some(Type::list(x.join(y))),
        ("size", _, [Type::List(_) | Type::Map(..)]) => Some(Type::Int),
        ("dyn", false, [_]) => Some(Type::Dyn),
        ("type", false, [t]) => Some(Type::Meta(Box::new(t.clone()))),
        ("hasValue", true, [Type::Optional(_)]) if optional => Some(Type::Bool),
        ("value", true, [Type::Optional(t)]) if optional => Some((**t).clone()),
        ("orValue", true, [Type::Optional(t), d]) if optional => both(t, d).then(|| t.join(d)),
        ("hasValue" | "value" | "orValue", true, _) if optional => None,
        _ => return None,
    };
    Some(r)
}

/// Names declared with overloads of another shape (so a mismatch is "no matching overload",
/// not "undeclared reference").
fn known_elsewhere(name: &str, member: bool, env: Env) -> bool {
    let generic_names = ["_==_", "_!=_", "_?_:_", "_[_]", "@in", "dyn", "type"];
    generic_names.contains(&name)
        || !env::standard(name, !member).is_empty()
        || env.functions().iter().any(|(n, _, _)| *n == name)
}

fn literal(l: &LiteralValue) -> Type {
    match l {
        LiteralValue::Boolean(_) => Type::Bool,
        LiteralValue::Bytes(_) => Type::Bytes,
        LiteralValue::Double(_) => Type::Double,
        LiteralValue::Int(_) => Type::Int,
        LiteralValue::Null => Type::Null,
        LiteralValue::String(_) => Type::String,
        LiteralValue::UInt(_) => Type::Uint,
    }
}

/// The common type of literal elements (`dyn` when they differ, as cel-go joins them).
fn join_all(ts: &[Type]) -> Type {
    let Some((first, rest)) = ts.split_first() else {
        return Type::Dyn;
    };
    if rest.iter().all(|t| t == first) {
        first.clone()
    } else {
        Type::Dyn
    }
}
