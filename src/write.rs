//! Atomic file writes and the plan of files a run produces.
