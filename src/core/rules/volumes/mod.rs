//! Section H: volumes and volume mounts.

mod util;
mod volume_deprecated_plugin;
mod volume_mount_path_duplicate;
mod volume_mount_propagation_invalid;
mod volume_mount_subpath_invalid;
mod volume_mount_unknown_volume;
mod volume_name_duplicate;
mod volume_name_invalid;
mod volume_source_invalid;
mod volume_source_multiple;

pub(crate) use volume_deprecated_plugin::VolumeDeprecatedPlugin;
pub(crate) use volume_mount_path_duplicate::VolumeMountPathDuplicate;
pub(crate) use volume_mount_propagation_invalid::VolumeMountPropagationInvalid;
pub(crate) use volume_mount_subpath_invalid::VolumeMountSubpathInvalid;
pub(crate) use volume_mount_unknown_volume::VolumeMountUnknownVolume;
pub(crate) use volume_name_duplicate::VolumeNameDuplicate;
pub(crate) use volume_name_invalid::VolumeNameInvalid;
pub(crate) use volume_source_invalid::VolumeSourceInvalid;
pub(crate) use volume_source_multiple::VolumeSourceMultiple;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &VolumeDeprecatedPlugin,
    &VolumeMountPathDuplicate,
    &VolumeMountPropagationInvalid,
    &VolumeMountSubpathInvalid,
    &VolumeMountUnknownVolume,
    &VolumeNameDuplicate,
    &VolumeNameInvalid,
    &VolumeSourceInvalid,
    &VolumeSourceMultiple,
];
