-- workbook.lua - the Pandoc filter that ties the book to the code.
--
--   ```{.c include="tag"}            the lines between "//> tag" and
--   ```                              "//< tag" in solutions/, src/ or
--                                    tests/, marker lines stripped,
--                                    captioned with file and function
--                                    (a student's book: see below).
--   \run{ch01:chi2}                 a number from build/ch01/values.tsv,
--                                    in text and inside $math$ alike
--   ```{.table file="ch01/chain.tsv"}  a TSV written by a run, as a table
--   ```
--   ![caption](ch01-sampling)        build/figures/ch01-sampling.pdf in
--                                    the PDF, .png in the HTML.
--
-- Anything that cannot be resolved (unknown tag, missing value, missing
-- figure, listing wider than 72 columns) stops the build with a message.
--
-- The student's book (BOOK_STUDENT=1, as make book sets it in a student
-- release, which has no solutions/): a region of solutions/ is shown as
-- the student wrote it. scripts/make-exercises writes
-- exercises/listings.tsv, where each such tag ended up in exercises/: for
-- a tag whose region holds exercise n.m the listing is the whole enclosing
-- function(s), found by name in the student's file (signature line to the
-- first "}" at column 0, any length), captioned "Your code for exercise
-- n.m"; a region without an exercise shows its lines from exercises/ with
-- the usual caption. Student code may be wider than 72 columns (the PDF
-- breaks it: book/student-header.tex); a renamed function gives a
-- one-line note. What a chapter whose tests fail did not produce
-- (numbers, tables, figures) is marked instead of stopping the build.

local ROOTS = os.getenv("LISTING_ROOTS") or "solutions src tests"
local BUILD = os.getenv("BOOK_BUILD") or "build"
local MAX_COLUMNS = 72
-- A student's book (see above).
local STUDENT = os.getenv("BOOK_STUDENT") == "1"
local NOT_RUN = "(not run yet)"

local function student_note(text)
  return pandoc.Para({ pandoc.Emph({ pandoc.Str("[" .. text .. "]") }) })
end

local function fail(msg)
  io.stderr:write("book: " .. msg .. "\n")
  os.exit(1)
end

local function read_lines(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local lines = {}
  for line in f:lines() do lines[#lines + 1] = line end
  f:close()
  return lines
end

-- Index every "//> tag" ... "//< tag" region once.
local regions = nil

local function index_regions()
  regions = {}
  local p = io.popen("find " .. ROOTS ..
    " -type f \\( -name '*.c' -o -name '*.h' \\) 2>/dev/null | LC_ALL=C sort")
  for path in p:lines() do
    local open = {}
    local last_fn = nil -- the function a region inside a body belongs to
    for n, line in ipairs(read_lines(path)) do
      local fn = line:match("^[%a_][%w_ %*]-[ %*]([%a_][%w_]*)%(")
      if fn and not line:match("^typedef") then last_fn = fn end
      local kind, tag = line:match("^%s*//([<>]) ([%w_.-]+)%s*$")
      if kind == ">" then
        if regions[tag] then
          fail(string.format("listing tag '%s' defined twice: %s:%d and %s:%d",
            tag, regions[tag].file, regions[tag].line, path, n))
        end
        regions[tag] = { file = path, line = n, lines = {}, enclosing = last_fn }
        open[tag] = true
      elseif kind == "<" then
        if not open[tag] then
          fail(string.format("%s:%d: '//< %s' without '//> %s'", path, n, tag, tag))
        end
        open[tag] = nil
      else
        local is_marker = line:match("^%s*/%* BEGIN SOLUTION [%d.]+ %*/%s*$") or
                          line:match("^%s*/%* END SOLUTION %*/%s*$")
        for t in pairs(open) do
          if not is_marker then table.insert(regions[t].lines, line) end
        end
      end
    end
    for t in pairs(open) do
      fail(string.format("%s: listing tag '%s' is never closed", path, t))
    end
  end
  p:close()
end

-- Names defined in a region: functions and typedefs at column 0. A
-- function's name may follow its type on the line before ("static inline
-- void" / "f(...)", as clang-format breaks long ones); __attribute__((...))
-- is not a name.
local function defined_names(lines)
  local names = {}
  local prev = ""
  for _, raw in ipairs(lines) do
    local line = raw:gsub("__attribute__%s*%b()%s*", "")
    local fn = line:match("^[%a_][%w_ %*]-[ %*]([%a_][%w_]*)%(")
    if not fn and prev:match("^[%a_][%w_ %*]*[%w_%*]%s*$")
        and not prev:match("^typedef") and not prev:match("^#")
        and not prev:match("^return") then
      fn = line:match("^([%a_][%w_]*)%(")
    end
    prev = line
    if fn and not line:match("^typedef") and not line:match("^#") then
      names[#names + 1] = "`" .. fn .. "()`"
    end
    local ty = line:match("^} ([%a_][%w_]*);")
    if ty then names[#names + 1] = "`" .. ty .. "`" end
    local st = line:match("^START_TEST%(([%w_]+)%)")
    if st then names[#names + 1] = "test `" .. st .. "`" end
  end
  return names
end

local chapter = 0      -- 1, 2, ... then A, B, ... in the appendices
local appendix = 0
local listing = 0

-- The web site (scripts/site, BOOK_SITE=1): one page per chapter file.
-- BOOK_CHAPTER is the page's chapter (5, or B for an appendix), so that
-- its listings are numbered as in the book; figures are figures/NAME.png
-- beside the page; a link to an id on another page (BOOK_SITE_IDS: lines
-- "id<TAB>page.html") goes to that page; an appendix's title reads
-- "Appendix B: ...".
local SITE = os.getenv("BOOK_SITE") == "1"
local SITE_PAGE = os.getenv("BOOK_SITE_PAGE") or ""
local site_ids = {}
if SITE then
  local first = os.getenv("BOOK_CHAPTER") or ""
  if first:match("^%d+$") then
    chapter = tonumber(first) - 1
  elseif first:match("^%u$") then
    appendix = first:byte() - 65
  end
  for _, line in ipairs(read_lines(os.getenv("BOOK_SITE_IDS") or "") or {}) do
    local id, page = line:match("^([^\t]+)\t(.+)$")
    if id then site_ids[id] = page end
  end
end

-- Remove the indentation every non-blank line shares.
local function dedent(lines)
  local common = nil
  for _, line in ipairs(lines) do
    if line:match("%S") then
      local ind = #line:match("^ *")
      if not common or ind < common then common = ind end
    end
  end
  local out = {}
  for i, line in ipairs(lines) do out[i] = line:sub((common or 0) + 1) end
  return out
end

-- A caption line and the code, as every listing is set.
local function listing_blocks(caption, lines)
  local code = pandoc.CodeBlock(table.concat(lines, "\n"), { class = "c" })
  local blocks = {}
  if FORMAT:match("latex") then
    blocks[#blocks + 1] = pandoc.RawBlock("latex", "\\needspace{6\\baselineskip}")
  end
  for _, b in ipairs(pandoc.read(caption, "markdown").blocks) do
    blocks[#blocks + 1] = pandoc.Div({ b }, { class = "listing-caption" })
  end
  blocks[#blocks + 1] = code
  return blocks
end

-- "`f()` in ", "from `f()` in " or "": what a caption says before the file.
local function caption_what(lines, enclosing)
  local names = defined_names(lines)
  if #names > 0 then return table.concat(names, ", ") .. " in " end
  if enclosing then return "from `" .. enclosing .. "()` in " end
  return ""
end

-- The student's book: exercises/listings.tsv, one line per book region of
-- solutions/ (written by scripts/make-exercises, whose header explains the
-- columns), read once.
local EXERCISES = "exercises"
local map = nil

local function read_map()
  local path = EXERCISES .. "/listings.tsv"
  local lines = read_lines(path)
  if not lines then fail("missing " .. path .. ": run 'make exercises'") end
  map = {}
  for n, line in ipairs(lines) do
    if not line:match("^#") then
      local tag, ids, file, fns, range =
        line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)$")
      if not tag then fail(string.format("%s:%d: expected 5 fields", path, n)) end
      local list = {}
      for f in fns:gmatch("[%w_]+") do list[#list + 1] = f end
      map[tag] = { ids = ids, file = EXERCISES .. "/" .. file, fns = list,
                   range = range }
    end
  end
end

-- The lines of function `name` in `lines`: from its signature line to the
-- first closing brace at column 0 (nil when there is no such function).
local function find_function(lines, name)
  for i, line in ipairs(lines) do
    if (line:match("^[%a_][%w_ %*]-[ %*]" .. name .. "%(") or
        line:match("^" .. name .. "%(")) and not line:match("^typedef") and
       not line:match(";%s*$") then
      for j = i, #lines do
        if lines[j]:match("^}") then return i, j end
      end
      return nil
    end
  end
end

local function expand_tabs(line)
  return (line:gsub("([^\t]*)\t", function(s)
    return s .. string.rep(" ", 8 - #s % 8) end))
end

-- A solution listing in the student's book, from the student's file: the
-- whole function(s) holding the tag's exercise(s), or, for a region with
-- no exercise in it, the same lines as the reference. Lines may be wider
-- than 72 columns; a function that is not found gives a one-line note.
local function student_listing(tag)
  if not map then read_map() end
  local e = map[tag]
  if not e then return nil end
  listing = listing + 1
  local number = string.format("%s.%d", chapter, listing)
  local src = read_lines(e.file) or {}
  local function missing(fn)
    local what = e.ids == "-" and "" or
      ", which holds your code for exercise " .. e.ids:gsub(",", ", ")
    return { student_note(string.format("Listing %s not shown: %s has no " ..
      "function %s()%s", number, e.file, fn, what)) }
  end
  local lines = {}
  if e.ids == "-" then
    local fn, a, b = e.range:match("^([%w_]+):(%d+)-(%d+)$")
    local base = 0 -- lines a..b count from the file's line 0 ...
    if fn then     -- ... or from the function's signature line
      base = find_function(src, fn)
      if not base then return missing(fn) end
    else
      a, b = e.range:match("^(%d+)-(%d+)$")
    end
    for i = base + tonumber(a), base + tonumber(b) do
      lines[#lines + 1] = src[i] and expand_tabs(src[i]) or ""
    end
    lines = dedent(lines)
    return listing_blocks(string.format("**Listing %s** %s`%s`", number,
      caption_what(lines, fn), e.file), lines)
  end
  local names = {}
  for k, fn in ipairs(e.fns) do
    local i, j = find_function(src, fn)
    if not i then return missing(fn) end
    if k > 1 then lines[#lines + 1] = "" end
    for n = i, j do lines[#lines + 1] = expand_tabs(src[n]) end
    names[#names + 1] = "`" .. fn .. "()`"
  end
  local ids = e.ids:gsub(",", ", ")
  local todo = table.concat(lines, "\n"):match("EXERCISE_TODO%(") and
    " (not written yet)" or ""
  return listing_blocks(string.format(
    "**Listing %s** Your code for exercise%s %s%s: %s in `%s`", number,
    e.ids:match(",") and "s" or "", ids, todo, table.concat(names, ", "),
    e.file), dedent(lines))
end

local function include_listing(el, tag)
  if not regions then index_regions() end
  local r = regions[tag]
  if not r and STUDENT then
    local blocks = student_listing(tag)
    if blocks then return blocks end
  end
  if not r then fail("unknown listing tag '" .. tag .. "' (no //> " .. tag ..
                     " in " .. ROOTS .. (STUDENT and " or " .. EXERCISES ..
                     "/listings.tsv" or "") .. ")") end
  r.lines = dedent(r.lines)
  for i, line in ipairs(r.lines) do
    if #line > MAX_COLUMNS then
      fail(string.format("listing '%s' (%s): line %d is %d columns, over %d",
        tag, r.file, i, #line, MAX_COLUMNS))
    end
  end
  listing = listing + 1
  local caption = string.format("**Listing %s.%d** %s`%s`", chapter, listing,
                                caption_what(r.lines, r.enclosing), r.file)
  return listing_blocks(caption, r.lines)
end

-- Values a run wrote: build/chNN/values.tsv, "key<TAB>value" lines.
local values = {}

local function run_value(ref)
  local dir, key = ref:match("^([%w-]+):([%w_]+)$")
  if not dir then fail("bad run reference '" .. ref .. "' (expected DIR:key, e.g. ch01:chi2)") end
  if not values[dir] then
    local path = BUILD .. "/" .. dir .. "/values.tsv"
    local lines = read_lines(path)
    if not lines and STUDENT then return NOT_RUN end
    if not lines then fail("missing " .. path .. ": run 'make book' (it runs every chapter)") end
    values[dir] = {}
    for _, line in ipairs(lines) do
      local k, v = line:match("^([^\t]+)\t(.*)$")
      if k then values[dir][k] = v end
    end
  end
  local v = values[dir][key]
  if not v and STUDENT then return NOT_RUN end
  if not v then fail("no value '" .. key .. "' in " .. BUILD .. "/" .. dir .. "/values.tsv") end
  return v
end

-- 307720 -> 307,720 (in math: 307{,}720) for whole numbers of 4+ digits.
local function group_digits(v, sep)
  if not v:match("^%d%d%d%d+$") then return v end
  local out = v:reverse():gsub("(%d%d%d)", "%1" .. sep:reverse()):reverse()
  return (out:gsub("^" .. sep:gsub("%p", "%%%0"), ""))
end

-- \run{ref} in running text (and table captions): the value, grouped.
local function run_text(ref)
  return group_digits(run_value(ref), ",")
end

local function tsv_table(el, file)
  local path = BUILD .. "/" .. file
  local lines = read_lines(path)
  if (not lines or #lines < 2) and STUDENT then
    return { student_note("Table not produced: its chapter's tests do not pass yet.") }
  end
  if not lines or #lines < 2 then fail("missing or empty table " .. path) end
  local md = {}
  for i, line in ipairs(lines) do
    line = line:gsub("^# ", "")
    local cells = {}
    for cell in (line .. "\t"):gmatch("([^\t]*)\t") do
      cells[#cells + 1] = group_digits(cell, ",") -- 307720 -> 307,720
    end
    md[#md + 1] = "| " .. table.concat(cells, " | ") .. " |"
    if i == 1 then
      local rule = {}
      for _ in ipairs(cells) do rule[#rule + 1] = "---" end
      md[#md + 1] = "|" .. table.concat(rule, "|") .. "|"
    end
  end
  local caption = el.attributes["caption"]
  if caption then -- \run{...} in a caption, as in text
    caption = caption:gsub("\\run{([^}]*)}", run_text)
    md[#md + 1] = "\n: " .. caption
  end
  local blocks = pandoc.read(table.concat(md, "\n"), "markdown",
    { columns = 1000 }).blocks -- natural column widths, no wrapping
  if FORMAT:match("latex") then -- keep a short table on one page
    table.insert(blocks, 1, pandoc.RawBlock("latex",
      string.format("\\needspace{%d\\baselineskip}", #lines + 6)))
  end
  return blocks
end

return {
  {
    Header = function(h)
      if h.level == 1 then
        listing = 0
        if h.classes:includes("appendix") then
          appendix = appendix + 1
          chapter = string.char(64 + appendix)
          if SITE then
            table.insert(h.content, 1,
              pandoc.Str("Appendix " .. chapter .. ": "))
            return h
          end
        else
          chapter = chapter + 1
        end
      end
    end,
    Link = function(el)
      local id = el.target:match("^#(.+)$")
      if SITE and id and site_ids[id] and site_ids[id] ~= SITE_PAGE then
        el.target = site_ids[id] .. "#" .. id
        return el
      end
    end,
    CodeBlock = function(el)
      local tag = el.attributes["include"]
      if tag then return include_listing(el, tag) end
      if el.classes:includes("table") then
        local file = el.attributes["file"]
        if not file then fail("a .table block needs file=\"chNN/name.tsv\"") end
        return tsv_table(el, file)
      end
    end,
    RawInline = function(el)
      if el.format:match("tex") then
        local ref = el.text:match("^\\run{([^}]*)}$")
        if ref then return pandoc.Str(run_text(ref)) end
      end
    end,
    Math = function(el)
      el.text = el.text:gsub("\\run{([^}]*)}", function(ref)
        local v = run_value(ref)
        if v == NOT_RUN then return "\\text{" .. NOT_RUN .. "}" end
        return group_digits(v, "{,}")
      end)
      return el
    end,
    Image = function(el)
      if el.src:match("^[%w_-]+$") then
        local ext = FORMAT:match("latex") and "pdf" or "png"
        local path = BUILD .. "/figures/" .. el.src .. "." .. ext
        local f = io.open(path, "r")
        if not f and STUDENT then
          return pandoc.Emph({ pandoc.Str("[Figure not drawn: its chapter's tests do not pass yet.]") })
        end
        if not f then fail("missing figure " .. path .. ": its chapter did not run") end
        f:close()
        el.src = SITE and ("figures/" .. el.src .. ".png") or path
        return el
      end
    end,
  },
}
