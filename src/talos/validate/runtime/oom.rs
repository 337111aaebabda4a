//! `OOMConfig` (`types/runtime/oom.go`): CEL trigger and cgroup ranking expressions.

use super::super::found::Found;
use super::super::godur;
use super::super::yamlx::str_at;
use crate::talos::cel::{self, Env};
use crate::yaml::Yaml;

/// `OOMV1Alpha1.Validate`.
pub(super) fn validate(v: &Yaml, f: &mut Found) {
    let trigger = str_at(v, "triggerExpression");
    if !trigger.is_empty()
        && let Err(e) = cel::check_bool(&trigger, Env::OomTrigger)
    {
        f.err(format!("OOM trigger expression is invalid: {e}"));
    }
    let ranking = str_at(v, "cgroupRankingExpression");
    if !ranking.is_empty()
        && let Err(e) = cel::check_double(&ranking, Env::OomCgroupScoring)
    {
        f.err(format!("OOM cgroup scoring expression is invalid: {e}"));
    }
    if godur::parse(&str_at(v, "sampleInterval")).is_some_and(|n| n < 0) {
        f.err("OOM sample interval must be longer than 0");
    }
}
