-- Argo CD health check for teachtrack.io/TeachTrack.
-- Uses no library at all (no string, no table functions), so it runs where argocd-cm gives a bare Lua VM.
local hs = {}

local function condition(conditions, wanted)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == wanted then
      return c
    end
  end
  return nil
end

local function describe(c, fallback)
  if c == nil then
    return fallback
  end
  local text = c.message
  if text == nil or text == "" then
    text = fallback
  end
  if c.reason ~= nil and c.reason ~= "" then
    return c.reason .. ": " .. text
  end
  return text
end

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

local ready = condition(obj.status.conditions, "Ready")
local progressing = condition(obj.status.conditions, "Progressing")
local degraded = condition(obj.status.conditions, "Degraded")

if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(degraded, "A component is failing")
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
  return hs
end

if ready ~= nil and ready.status == "False" and (progressing == nil or progressing.status ~= "True") then
  hs.status = "Degraded"
  hs.message = describe(ready, "Not ready and not progressing")
  return hs
end

hs.status = "Progressing"
if progressing ~= nil and progressing.status == "True" then
  hs.message = describe(progressing, "Provisioning")
else
  hs.message = describe(ready, "Waiting for the platform to become ready")
end
return hs
