//! Section F: container ports.

mod container_host_port_conflict;
mod container_port_duplicate;
mod container_port_missing;
mod container_port_name_duplicate;
mod container_port_name_invalid;
mod container_port_out_of_range;
mod container_port_protocol_invalid;
mod util;

pub(crate) use container_host_port_conflict::ContainerHostPortConflict;
pub(crate) use container_port_duplicate::ContainerPortDuplicate;
pub(crate) use container_port_missing::ContainerPortMissing;
pub(crate) use container_port_name_duplicate::ContainerPortNameDuplicate;
pub(crate) use container_port_name_invalid::ContainerPortNameInvalid;
pub(crate) use container_port_out_of_range::ContainerPortOutOfRange;
pub(crate) use container_port_protocol_invalid::ContainerPortProtocolInvalid;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &ContainerHostPortConflict,
    &ContainerPortDuplicate,
    &ContainerPortMissing,
    &ContainerPortNameDuplicate,
    &ContainerPortNameInvalid,
    &ContainerPortOutOfRange,
    &ContainerPortProtocolInvalid,
];
