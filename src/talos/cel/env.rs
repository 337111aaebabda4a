//! The CEL environments Talos declares in `pkg/machinery/cel/celenv` (variables, constants,
//! messages and extra functions), and the standard overloads cel-go's checker knows.

use super::types::Type;

/// A Talos CEL environment (`celenv.DiskLocator()`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Env {
    /// Volume disk selectors: `disk`, `system_disk`, `glob`, size units.
    DiskLocator,
    /// Existing-volume selectors: `volume`, `disk`, size units.
    VolumeLocator,
    /// Link alias selectors: `link`, `glob`, `mac`.
    LinkLocator,
    /// `OOMConfig.triggerExpression`: PSI metrics, QoS maps, `multiply_qos_vectors`.
    OomTrigger,
    /// `OOMConfig.cgroupRankingExpression`: optional memory counters, `path`, `class`.
    OomCgroupScoring,
}

const DISK: &str = "talos.resource.definitions.block.DiskSpec";
const VOLUME: &str = "talos.resource.definitions.block.DiscoveredVolumeSpec";
const LINK: &str = "talos.resource.definitions.network.LinkStatusSpec";

/// `unitMultipliers` of celenv.go (uint constants).
const UNITS: [&str; 12] = [
    "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "kB", "MB", "GB", "TB", "PB", "EB",
];

/// `celCgroupClassConstants` (int constants).
const QOS_CLASSES: [&str; 5] = [
    "Besteffort",
    "Burstable",
    "Guaranteed",
    "Podruntime",
    "System",
];

const PSI: [&str; 8] = [
    "memory_some_avg10",
    "memory_some_avg60",
    "memory_some_avg300",
    "memory_some_total",
    "memory_full_avg10",
    "memory_full_avg60",
    "memory_full_avg300",
    "memory_full_total",
];

impl Env {
    /// The type of a declared variable or constant.
    pub(crate) fn ident(self, name: &str) -> Option<Type> {
        let units = !matches!(self, Env::LinkLocator);
        if units && UNITS.contains(&name) {
            return Some(Type::Uint);
        }
        match self {
            Env::DiskLocator => match name {
                "disk" => Some(Type::Message(DISK)),
                "system_disk" => Some(Type::Bool),
                _ => None,
            },
            Env::VolumeLocator => match name {
                "volume" => Some(Type::Message(VOLUME)),
                "disk" => Some(Type::Message(DISK)),
                _ => None,
            },
            Env::LinkLocator => (name == "link").then_some(Type::Message(LINK)),
            Env::OomTrigger => oom_trigger_ident(name),
            Env::OomCgroupScoring => match name {
                "memory_max" | "memory_current" | "memory_peak" => Some(Type::optional(Type::Uint)),
                "path" => Some(Type::String),
                "class" => Some(Type::Int),
                n if QOS_CLASSES.contains(&n) => Some(Type::Int),
                _ => None,
            },
        }
    }

    /// Whether `optional.of`, `.hasValue()` and friends are declared (`cel.OptionalTypes()`).
    pub(crate) fn optional_types(self) -> bool {
        matches!(self, Env::OomTrigger | Env::OomCgroupScoring)
    }

    /// Overloads of the environment's own functions: (name, params, result).
    pub(crate) fn functions(self) -> Vec<(&'static str, Vec<Type>, Type)> {
        let glob = ("glob", vec![Type::String, Type::String], Type::Bool);
        match self {
            Env::DiskLocator => vec![glob],
            Env::LinkLocator => vec![glob, ("mac", vec![Type::Bytes], Type::String)],
            Env::OomTrigger => {
                let qos = Type::map(Type::Dyn, Type::Double);
                vec![("multiply_qos_vectors", vec![qos.clone(), qos], Type::Double)]
            }
            Env::VolumeLocator | Env::OomCgroupScoring => Vec::new(),
        }
    }
}

fn oom_trigger_ident(name: &str) -> Option<Type> {
    let qos = || Type::map(Type::Int, Type::Double);
    let bare = name.strip_prefix("d_").unwrap_or(name);
    if PSI.contains(&bare) {
        return Some(Type::Double);
    }
    if let Some(q) = bare.strip_prefix("qos_")
        && (PSI.contains(&q) || ["memory_current", "memory_peak", "memory_max"].contains(&q))
    {
        return Some(qos());
    }
    match name {
        "time_since_trigger" => Some(Type::Duration),
        n if QOS_CLASSES.contains(&n) => Some(Type::Int),
        _ => None,
    }
}

/// A field of a message the environments declare (`block.proto`, `network.proto`; enums are
/// `int` in CEL, nested link messages are left `dyn`).
pub(crate) fn field(message: &str, name: &str) -> Option<Type> {
    use Type::{Bool, Bytes, Dyn, Int, String as Str, Uint};
    let t = match (message, name) {
        (DISK, "size" | "io_size" | "sector_size") => Uint,
        (DISK, "readonly" | "rotational" | "cdrom") => Bool,
        (
            DISK,
            "model" | "serial" | "modalias" | "wwid" | "bus_path" | "sub_system" | "transport"
            | "dev_path" | "pretty_size" | "uuid",
        ) => Str,
        (DISK, "secondary_disks" | "symlinks") => Type::list(Str),
        (
            VOLUME,
            "size"
            | "sector_size"
            | "io_size"
            | "block_size"
            | "filesystem_block_size"
            | "probed_size"
            | "partition_index"
            | "offset",
        ) => Uint,
        (
            VOLUME,
            "name" | "uuid" | "label" | "partition_uuid" | "partition_type" | "partition_label"
            | "type" | "device_path" | "parent" | "dev_path" | "parent_dev_path" | "pretty_size",
        ) => Str,
        (LINK, "index" | "link_index" | "flags" | "mtu" | "master_index") => Uint,
        (LINK, "type" | "operational_state" | "speed_megabits" | "port" | "duplex") => Int,
        (LINK, "hardware_addr" | "broadcast_addr" | "permanent_addr") => Bytes,
        (
            LINK,
            "queue_disc" | "kind" | "slave_kind" | "bus_path" | "pciid" | "driver"
            | "driver_version" | "firmware_version" | "product_id" | "vendor_id" | "product"
            | "vendor" | "alias",
        ) => Str,
        (LINK, "link_state") => Bool,
        (LINK, "alt_names") => Type::list(Str),
        (LINK, "vlan" | "bridge_master" | "bond_master" | "wireguard" | "vrf_master") => Dyn,
        _ => return None,
    };
    Some(t)
}

/// cel-go's standard overloads with concrete types: (name, member call, params, result).
/// Type-parameterised ones (`==`, `?:`, `[]`, `in`, list `+`, `size` of list/map, `dyn`,
/// `type`) are resolved in the checker.
pub(crate) fn standard(name: &str, member: bool) -> Vec<(Vec<Type>, Type)> {
    use Type::{Bool, Bytes, Double, Duration as Dur, Int, String as Str, Timestamp as Ts, Uint};
    let same = |ts: &[Type], result: Option<Type>| -> Vec<(Vec<Type>, Type)> {
        ts.iter()
            .map(|t| {
                let r = result.clone().unwrap_or_else(|| t.clone());
                (vec![t.clone(), t.clone()], r)
            })
            .collect()
    };
    let unary = |ts: &[Type], r: Type| -> Vec<(Vec<Type>, Type)> {
        ts.iter().map(|t| (vec![t.clone()], r.clone())).collect()
    };
    let ordered = [Bool, Int, Uint, Double, Str, Bytes, Ts, Dur];
    match (name, member) {
        ("!_", false) => unary(&[Bool], Bool),
        ("-_", false) => vec![(vec![Int], Int), (vec![Double], Double)],
        ("_&&_" | "_||_", false) => same(&[Bool], None),
        ("@not_strictly_false", false) => unary(&[Bool], Bool),
        ("_<_" | "_<=_" | "_>_" | "_>=_", false) => same(&ordered, Some(Bool)),
        ("_+_", false) => {
            let mut v = same(&[Int, Uint, Double, Str, Bytes, Dur], None);
            v.push((vec![Ts, Dur], Ts));
            v.push((vec![Dur, Ts], Ts));
            v
        }
        ("_-_", false) => {
            let mut v = same(&[Int, Uint, Double, Dur], None);
            v.push((vec![Ts, Ts], Dur));
            v.push((vec![Ts, Dur], Ts));
            v
        }
        ("_*_" | "_/_", false) => same(&[Int, Uint, Double], None),
        ("_%_", false) => same(&[Int, Uint], None),
        ("size", _) => unary(&[Str, Bytes], Int),
        ("contains" | "startsWith" | "endsWith", true) => same(&[Str], Some(Bool)),
        ("matches", _) => same(&[Str], Some(Bool)),
        ("int", false) => unary(&[Int, Uint, Double, Str, Ts, Dur], Int),
        ("uint", false) => unary(&[Int, Uint, Double, Str], Uint),
        ("double", false) => unary(&[Int, Uint, Double, Str], Double),
        ("string", false) => unary(&[Int, Uint, Double, Str, Bytes, Bool, Ts, Dur], Str),
        ("bytes", false) => unary(&[Bytes, Str], Bytes),
        ("bool", false) => unary(&[Bool, Str], Bool),
        ("duration", false) => unary(&[Dur, Str], Dur),
        ("timestamp", false) => unary(&[Ts, Str, Int], Ts),
        (
            "getFullYear" | "getMonth" | "getDayOfYear" | "getDayOfMonth" | "getDate"
            | "getDayOfWeek",
            true,
        ) => vec![(vec![Ts], Int), (vec![Ts, Str], Int)],
        ("getHours" | "getMinutes" | "getSeconds" | "getMilliseconds", true) => {
            vec![(vec![Ts], Int), (vec![Ts, Str], Int), (vec![Dur], Int)]
        }
        _ => Vec::new(),
    }
}
