<#
.SYNOPSIS
  Runs portflight on this client (a vantage point) and writes its JSON report to a share.

.DESCRIPTION
  For the ConfigMgr console's Run Scripts feature (Software Library > Scripts > Create Script; then
  Device Collections > Run Script on the collection of clients to check from), or as the command line
  of a package program. Writes \\server\share\portflight\<computer>-<time>.json and prints one
  summary line (the verdict), which the console shows under Monitoring > Script Status.

  What Run Scripts requires and does, per Microsoft Learn, "Create and run PowerShell scripts from
  the Configuration Manager console"
  (https://learn.microsoft.com/mem/configmgr/apps/deploy-use/create-deploy-scripts):
  - PowerShell 3.0 or later on the client (this script uses nothing newer), client 1706 or later;
  - parameters of type string, integer or list only, at most 10, and their values cannot contain a
    single quote (so paths are passed without quotes);
  - the script runs as the SYSTEM (computer) account: the share must let the computer accounts of
    the collection (e.g. Domain Computers) create files in the portflight folder and read the plan;
  - output is truncated to 4 KB: the report goes to the share, the output is one line;
  - a script must be approved by someone other than its author (by default), and a run waits at most
    one hour for a client to be online.

.PARAMETER Share
  Folder the report is written to, e.g. \\cm01\reports$\portflight (no quotes).

.PARAMETER Plan
  The change plan (YAML) on the share, e.g. \\cm01\reports$\portflight\change-0815.yaml. Without
  one, Arguments says what to check.

.PARAMETER Arguments
  More portflight arguments, separated by spaces (e.g. --no-path, or without a plan:
  check mp01.corp.example --http 8080 --https 8443).

.PARAMETER Node
  node.exe (Node 20 or later), e.g. C:\Program Files\nodejs\node.exe.

.PARAMETER Portflight
  portflight's dist\cli\main.js on the client, e.g. C:\Program Files\portflight\dist\cli\main.js
  (deploy it with the Node runtime as an application or package first).

.NOTES
  Exit code: 0 when the report was written (whatever the verdict: the verdict is in the output line
  and the report); 64 and above when portflight could not judge (bad plan or arguments, internal
  error) or the report could not be written to the share. Run Scripts reads 0 as success.
#>
param(
  [Parameter(Mandatory = $true)]
  [string]$Share,
  [string]$Plan = '',
  [string]$Arguments = '',
  [string]$Node = 'C:\Program Files\nodejs\node.exe',
  [string]$Portflight = 'C:\Program Files\portflight\dist\cli\main.js'
)

$ErrorActionPreference = 'Stop'

# UTC and no colons: a file name that sorts by time and is valid on every file system.
$time = (Get-Date).ToUniversalTime().ToString('yyyyMMddTHHmmssZ')
$report = Join-Path $Share ("{0}-{1}.json" -f $env:COMPUTERNAME, $time)

$portflightArgs = @($Portflight)
if ($Plan -ne '') { $portflightArgs += @('scan', $Plan) }
if ($Arguments -ne '') { $portflightArgs += ($Arguments -split '\s+' | Where-Object { $_ -ne '' }) }
$portflightArgs += @('--no-interactive', '--format', 'json', '--output', $report)

# portflight writes the report atomically (a temporary file beside it, then a rename), so a merge
# that runs while clients are still reporting never reads half a report. Its summary line is on stderr.
$summaryFile = [System.IO.Path]::GetTempFileName()
try {
  # Start-Process joins its arguments with spaces as they are: quote each (a path holds spaces; no
  # argument holds a double quote, which Windows paths cannot).
  $quoted = $portflightArgs | ForEach-Object { '"' + $_ + '"' }
  $process = Start-Process -FilePath $Node -ArgumentList $quoted -NoNewWindow -Wait -PassThru `
    -RedirectStandardError $summaryFile
  $summary = (Get-Content -Path $summaryFile | Select-Object -Last 1)
} finally {
  Remove-Item -Path $summaryFile -Force -ErrorAction SilentlyContinue
}

# 0 go, 1 conditional, 2 no-go, 3 incomplete: all verdicts, with a report on the share.
if ($process.ExitCode -ge 0 -and $process.ExitCode -le 3) {
  Write-Output ("{0}: {1} ({2})" -f $env:COMPUTERNAME, $summary, $report)
  exit 0
}
Write-Output ("{0}: portflight exit {1}: {2}" -f $env:COMPUTERNAME, $process.ExitCode, $summary)
exit $process.ExitCode
