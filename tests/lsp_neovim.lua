-- Driven by tests/lsp_neovim.rs: a real editor (headless Neovim, its built-in
-- LSP client) starts `sds lsp`, opens a report, records the diagnostics it
-- receives, applies the quick fix that inserts the missing results (SDS020),
-- waits for the server's new diagnostics and writes the file.
-- Neovim 0.7 (Debian 12) API: start_client + buf_attach_client.
local sds = os.getenv("SDS_BIN")
local report = os.getenv("SDS_REPORT")
local out = os.getenv("SDS_OUT")
local result = { before = {}, after = {}, actions = {}, error = nil }

local function finish()
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

local function collect(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, { code = d.code, line = d.lnum + 1, col = d.col + 1, source = d.source })
  end
  return list
end

local function has(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then return d end
  end
  return nil
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(report))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({ name = "sds", cmd = { sds, "lsp" }, root_dir = vim.fn.fnamemodify(report, ":h") })
  assert(id, "the client did not start")
  vim.lsp.buf_attach_client(buf, id)
  assert(vim.wait(30000, function() return has(buf, "SDS020") ~= nil end, 20), "no SDS020 diagnostic within 30 s")
  result.before = collect(buf)
  local d = has(buf, "SDS020")
  local client = vim.lsp.get_client_by_id(id)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.lnum, character = d.col } },
    context = { diagnostics = {} },
  }
  local resp = client.request_sync("textDocument/codeAction", params, 30000, buf)
  assert(resp and resp.result, "no code action response")
  local applied = false
  for _, a in ipairs(resp.result) do
    table.insert(result.actions, a.title)
    if not applied and a.title:find("missing result") then
      vim.lsp.util.apply_workspace_edit(a.edit, "utf-16")
      applied = true
    end
  end
  assert(applied, "no action inserts the missing results")
  assert(vim.wait(30000, function() return has(buf, "SDS020") == nil and #vim.diagnostic.get(buf) > 0 end, 20),
    "SDS020 still reported 30 s after the fix")
  result.after = collect(buf)
  vim.cmd("write")
end)
if not ok then result.error = tostring(err) end
finish()
