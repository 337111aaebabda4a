//! Embeds Talos' JSON schemas without their prose: validation reads only the structure.

use std::path::Path;

const SCHEMAS: [&str; 2] = [
    "talos-v1.13.9-config.schema.json",
    "talos-v1.14.0-rc.1-config.schema.json",
];

/// Keys that only document a schema node (editors show them; no check reads them).
const PROSE: [&str; 3] = [
    "description",
    "markdownDescription",
    "x-intellij-html-description",
];

fn strip(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for k in PROSE {
                m.shift_remove(k);
            }
            m.values_mut().for_each(strip);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
        _ => {}
    }
}

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in SCHEMAS {
        let src = Path::new("schemas").join(name);
        println!("cargo:rerun-if-changed={}", src.display());
        let text = std::fs::read_to_string(&src).expect("schema file readable");
        let mut v: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
        strip(&mut v);
        let min = serde_json::to_string(&v).expect("JSON value serialises");
        std::fs::write(Path::new(&out).join(name), min).expect("OUT_DIR writable");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
