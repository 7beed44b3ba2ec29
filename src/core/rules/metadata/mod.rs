//! Section B: object metadata (names, namespaces, labels, annotations).

mod annotation_key_invalid;
mod annotations_too_large;
mod kinds;
mod label_key_invalid;
mod label_value_invalid;
mod metadata_name_invalid;
mod metadata_name_missing;
mod metadata_name_not_dns_label;
mod metadata_namespace_invalid;
mod pod_deletion_cost_invalid;
mod util;

pub(crate) use annotation_key_invalid::AnnotationKeyInvalid;
pub(crate) use annotations_too_large::AnnotationsTooLarge;
pub(crate) use label_key_invalid::LabelKeyInvalid;
pub(crate) use label_value_invalid::LabelValueInvalid;
pub(crate) use metadata_name_invalid::MetadataNameInvalid;
pub(crate) use metadata_name_missing::MetadataNameMissing;
pub(crate) use metadata_name_not_dns_label::MetadataNameNotDnsLabel;
pub(crate) use metadata_namespace_invalid::MetadataNamespaceInvalid;
pub(crate) use pod_deletion_cost_invalid::PodDeletionCostInvalid;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &AnnotationKeyInvalid,
    &AnnotationsTooLarge,
    &LabelKeyInvalid,
    &LabelValueInvalid,
    &MetadataNameInvalid,
    &MetadataNameMissing,
    &MetadataNameNotDnsLabel,
    &MetadataNamespaceInvalid,
    &PodDeletionCostInvalid,
];
