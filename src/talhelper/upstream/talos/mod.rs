//! `pkg/talos/*_test.go`: the generator's tests.

mod extensionserviceconfig;
mod input;
mod multidocs;
mod network_alias;
mod network_devices;
mod network_links;
mod nodeconfig;
mod schematic;
mod uservolumeconfig;
mod validate;
mod volumeconfig;

use super::Tally;

pub(super) fn run(t: &mut Tally) {
    input::run(t);
    extensionserviceconfig::run(t);
    multidocs::run(t);
    network_links::run(t);
    network_devices::run(t);
    network_alias::run(t);
    nodeconfig::run(t);
    schematic::run(t);
    uservolumeconfig::run(t);
    validate::run(t);
    volumeconfig::run(t);
}
