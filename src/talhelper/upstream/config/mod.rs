//! `pkg/config/*_test.go`: the talconfig reader's and validator's tests.

mod loader;
mod nodeconfigs;
mod outputfilename;
mod validate;
mod validator;

use super::Tally;

pub(super) fn run(t: &mut Tally) {
    loader::run(t);
    nodeconfigs::run(t);
    outputfilename::run(t);
    validate::run(t);
    validator::run(t);
}
