-- kls for Neovim 0.11+: copy this file to ~/.config/nvim/lsp/kls.lua (or put this folder on
-- 'runtimepath'), then call vim.lsp.enable('kls') from your init.lua.
---@type vim.lsp.Config
return {
  cmd = { 'kls', 'lsp' },
  filetypes = { 'yaml' },
  root_markers = { '.kls.yaml', '.git' },
  -- Any option of .kls.yaml can be given here too; these win over the file.
  init_options = {
    -- kubernetesVersion = '1.33',
    -- rules = { ['metadata-name-not-dns-label'] = 'off' },
  },
}
