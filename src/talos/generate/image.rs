//! Installer image: an explicit image, or the Image Factory URL for the node's schematic.

use crate::factory::url;
use crate::model::{Cluster, ImageFactory, Node};

/// The `machine.install.image` talhelper writes for a node: `<talosImageURL>:<talos>` when the
/// node names an image (it wins over a schematic), otherwise the factory's installer template
/// with the schematic ID (`factory.talos.dev/metal-installer/<id>:<talos>` by default;
/// `metal-installer-secureboot` with secure boot).
pub fn installer_image(cluster: &Cluster, node: &Node) -> String {
    url::installer(cluster, node).unwrap_or_else(|_| {
        // Both readers check the cluster's templates (`url::check_templates`), so only a
        // model built in code gets here; talhelper's default template has no failure.
        let mut c = cluster.clone();
        c.image_factory = ImageFactory::default();
        url::installer(&c, node).unwrap_or_default()
    })
}
