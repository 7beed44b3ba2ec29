-- kls for Neovim 0.7 to 0.10, which have no vim.lsp.enable (0.11+: use lsp/kls.lua instead).
-- Put this folder on 'runtimepath' and call require('kls').setup() from init.lua; the
-- options are those of lsp/kls.lua: cmd, init_options, root_markers.
local M = {}

local default_markers = { '.kls.yaml', '.git' }

-- The nearest folder above `file` that holds one of `markers`, else the file's folder.
local function root_of(file, markers)
  local folder = vim.fn.fnamemodify(file, ':p:h')
  local dir = folder
  while true do
    for _, marker in ipairs(markers) do
      if vim.fn.glob(dir .. '/' .. marker, true) ~= '' then return dir end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then return folder end
    dir = parent
  end
end

function M.setup(opts)
  opts = opts or {}
  local clients = {}
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'yaml',
    callback = function(args)
      local file = vim.api.nvim_buf_get_name(args.buf)
      if file == '' then return end
      local config = {
        name = 'kls',
        cmd = opts.cmd or { 'kls', 'lsp' },
        root_dir = root_of(file, opts.root_markers or default_markers),
        -- An empty table would be sent as `[]`; vim.empty_dict() is sent as `{}`.
        init_options = opts.init_options or vim.empty_dict(),
      }
      if vim.lsp.start then
        vim.lsp.start(config, { bufnr = args.buf })
        return
      end
      -- Neovim 0.7: one client per root, attached to each buffer below it.
      local id = clients[config.root_dir]
      if not id or not vim.lsp.get_client_by_id(id) then
        id = vim.lsp.start_client(config)
        clients[config.root_dir] = id
      end
      if id then vim.lsp.buf_attach_client(args.buf, id) end
    end,
  })
end

return M
