//! Table-driven corpus of invalid and valid configs with Talos' exact messages.
