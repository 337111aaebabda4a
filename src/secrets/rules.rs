//! `.sops.yaml`: creation rules, matching a path to recipients, adding rules without clobbering.
