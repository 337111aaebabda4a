//! CEL types as cel-go's checker names them (`uint`, `list(string)`, message full names).

use std::fmt;

/// A checked CEL type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Type {
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Null,
    Dyn,
    Duration,
    Timestamp,
    List(Box<Type>),
    Map(Box<Type>, Box<Type>),
    /// A protobuf message, by full name (fields are looked up in the environment).
    Message(&'static str),
    Optional(Box<Type>),
    /// A type value (`type(x)`, `int` used as an identifier).
    Meta(Box<Type>),
    /// The type of an expression that already failed to check (no further reports).
    Error,
}

impl Type {
    pub(crate) fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }

    pub(crate) fn map(k: Type, v: Type) -> Type {
        Type::Map(Box::new(k), Box::new(v))
    }

    pub(crate) fn optional(t: Type) -> Type {
        Type::Optional(Box::new(t))
    }

    /// Whether a value of type `arg` may be passed where `self` is expected (dyn on either
    /// side matches; `null` goes to messages, optionals and wrappers only).
    pub(crate) fn accepts(&self, arg: &Type) -> bool {
        match (self, arg) {
            (Type::Dyn | Type::Error, _) | (_, Type::Dyn | Type::Error) => true,
            (Type::Message(_) | Type::Optional(_) | Type::Null, Type::Null) => true,
            (Type::List(a), Type::List(b)) | (Type::Optional(a), Type::Optional(b)) => a.accepts(b),
            (Type::Meta(a), Type::Meta(b)) => a.accepts(b),
            (Type::Map(ak, av), Type::Map(bk, bv)) => ak.accepts(bk) && av.accepts(bv),
            (a, b) => a == b,
        }
    }

    /// The more specific of two types that both accept each other (for `A` bindings).
    pub(crate) fn join(&self, other: &Type) -> Type {
        match (self, other) {
            (Type::Dyn | Type::Error | Type::Null, t) => t.clone(),
            (t, _) => t.clone(),
        }
    }

    /// Whether this is exactly `want` (cel-go's `IsExactType`: `dyn` is not `bool`).
    pub(crate) fn is_exact(&self, want: &Type) -> bool {
        self == want
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Uint => f.write_str("uint"),
            Type::Double => f.write_str("double"),
            Type::String => f.write_str("string"),
            Type::Bytes => f.write_str("bytes"),
            Type::Null => f.write_str("null_type"),
            Type::Dyn => f.write_str("dyn"),
            Type::Duration => f.write_str("google.protobuf.Duration"),
            Type::Timestamp => f.write_str("google.protobuf.Timestamp"),
            Type::List(t) => write!(f, "list({t})"),
            Type::Map(k, v) => write!(f, "map({k}, {v})"),
            Type::Message(name) => f.write_str(name),
            Type::Optional(t) => write!(f, "optional_type({t})"),
            Type::Meta(t) => write!(f, "type({t})"),
            Type::Error => f.write_str("*error*"),
        }
    }
}
