<#
.SYNOPSIS
  Merges the reports the clients wrote to the share into one report and one verdict.

.DESCRIPTION
  Run on the admin workstation (or the site server) once the Run Scripts run is done (Monitoring >
  Script Status shows every client). Takes the newest report of each computer written since -Since,
  and runs portflight merge on them. Exit code: the merged verdict (0 go, 1 conditional, 2 no-go,
  3 incomplete), 65 when the reports cannot be merged (another plan or change, bad report).

.EXAMPLE
  .\Merge-PortflightReports.ps1 -Share \\cm01\reports$\portflight -Since '2026-03-02 09:00' -Output merged.json
#>
param(
  [Parameter(Mandatory = $true)]
  [string]$Share,
  [Parameter(Mandatory = $true)]
  [datetime]$Since,
  [string]$Output = 'merged.json',
  [string]$Format = 'json',
  [string]$Node = 'node',
  [string]$Portflight = 'C:\Program Files\portflight\dist\cli\main.js'
)

$ErrorActionPreference = 'Stop'

# <computer>-<yyyyMMddTHHmmssZ>.json, as Invoke-PortflightVantage.ps1 names them: the newest per computer.
$reports = Get-ChildItem -Path $Share -Filter '*-*.json' |
  Where-Object { $_.Name -match '^(?<computer>.+)-(?<time>\d{8}T\d{6}Z)\.json$' } |
  ForEach-Object {
    $null = $_.Name -match '^(?<computer>.+)-(?<time>\d{8}T\d{6}Z)\.json$'
    [pscustomobject]@{
      Computer = $Matches.computer
      Time     = [datetime]::ParseExact($Matches.time, "yyyyMMdd'T'HHmmss'Z'", $null,
        [System.Globalization.DateTimeStyles]::AssumeUniversal -bor [System.Globalization.DateTimeStyles]::AdjustToUniversal)
      Path     = $_.FullName
    }
  } |
  Where-Object { $_.Time -ge $Since.ToUniversalTime() } |
  Group-Object -Property Computer |
  ForEach-Object { $_.Group | Sort-Object -Property Time | Select-Object -Last 1 }

if (-not $reports) {
  Write-Error "no report in $Share since $Since"
  exit 65
}
Write-Output ("merging {0} report(s): {1}" -f @($reports).Count, (($reports | ForEach-Object Computer) -join ', '))

& $Node $Portflight merge @($reports | ForEach-Object Path) --format $Format --output $Output
exit $LASTEXITCODE
