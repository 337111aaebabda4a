//! The one integration test binary: runs the real `talforge` executable on scripts in temp dirs.

mod broken_pipe;
mod builder;
mod cases;
mod cli;
mod configs;
mod corpus;
mod day2;
mod diagnostics;
mod examples;
mod factory;
mod fuzz;
mod hygiene;
mod imports;
mod infra;
mod names;
mod network;
mod patch;
mod repl;
mod secret_loss;
mod secrets;
mod sops;
mod support;
mod talos_mode;
mod validate;
mod versions;
mod yaml_limits;
