//! `textDocument/definition` and `textDocument/references`: from a use of a name to where it is
//! defined (a mount's volume, a probe's named port, a selector's labels, a Service's pods, a
//! ConfigMap or Secret in another file), and from a volume to its mounts.

use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse, Location, ReferenceParams};

use crate::core::navigate::{self, Target};
use crate::core::workspace::ObjectSummary;
use crate::lsp::state::DocSnapshot;
use crate::lsp::workspace::FileObjects;

pub(crate) fn definition(
    snapshot: &DocSnapshot,
    params: GotoDefinitionParams,
) -> anyhow::Result<Option<GotoDefinitionResponse>> {
    let positions = snapshot.positions();
    let offset = positions.offset(params.text_document_position_params.position);
    let Some(chunk) = snapshot.chunk_at(offset) else {
        return Ok(None);
    };
    // This version's objects (their ranges must be current), then the other files'.
    let mut files = vec![snapshot.file_objects(snapshot.report().objects)];
    files.extend(snapshot.workspace_files(false));
    let mut objects: Vec<ObjectSummary> = Vec::new();
    let mut owners: Vec<(usize, usize)> = Vec::new();
    for (i, file) in files.iter().enumerate() {
        objects.extend(file.objects.iter().cloned());
        owners.extend((0..file.objects.len()).map(|j| (i, j)));
    }
    let text = &snapshot.data.text()[chunk.to_usize()];
    let locations: Vec<Location> = navigate::definition(text, offset - chunk.start, &objects)
        .into_iter()
        .filter_map(|target| match target {
            Target::Here(range) => Some(Location::new(
                snapshot.uri.clone(),
                positions.range(range.shifted(chunk.start)),
            )),
            Target::Object(i) => {
                let (file, index) = owners.get(i)?;
                files
                    .get(*file)
                    .and_then(|it: &FileObjects| it.name_location(*index))
            }
        })
        .collect();
    Ok((!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations)))
}

pub(crate) fn references(
    snapshot: &DocSnapshot,
    params: ReferenceParams,
) -> anyhow::Result<Option<Vec<Location>>> {
    let positions = snapshot.positions();
    let offset = positions.offset(params.text_document_position.position);
    let Some(chunk) = snapshot.chunk_at(offset) else {
        return Ok(None);
    };
    let text = &snapshot.data.text()[chunk.to_usize()];
    let offset = offset - chunk.start;
    let declaration = |at: u32| {
        navigate::definition(text, at, &[])
            .into_iter()
            .find_map(|it| match it {
                Target::Here(range) => Some(range),
                Target::Object(_) => None,
            })
    };
    let mut uses = navigate::references(text, offset);
    let declared = if let Some(first) = uses.first() {
        // On a volume: it is where its mounts lead.
        declaration(first.start)
    } else {
        // On a mount: the uses of its volume.
        let declared = declaration(offset);
        if let Some(range) = declared {
            uses = navigate::references(text, range.start);
        }
        declared.filter(|_| !uses.is_empty())
    };
    let mut ranges = Vec::new();
    if params.context.include_declaration {
        ranges.extend(declared);
    }
    ranges.extend(uses);
    let locations: Vec<Location> = ranges
        .into_iter()
        .map(|it| {
            Location::new(
                snapshot.uri.clone(),
                positions.range(it.shifted(chunk.start)),
            )
        })
        .collect();
    Ok((!locations.is_empty()).then_some(locations))
}
