//! Interactive exploration of a cluster: a UI-free session and a rustyline front end.
