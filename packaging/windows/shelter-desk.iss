; Inno Setup script: a per-user installer for the one-folder build in dist\shelter-desk.
;   iscc /DAppVersion=0.1.0 packaging\windows\shelter-desk.iss
; Installs into the user's own programs folder (no administrator rights), adds a Start menu
; entry, and on uninstall removes the program only: the data folder
; (%LOCALAPPDATA%\ShelterDesk) is left alone; see the README for wiping it.
; Not built or tried on this project's Linux machine: see packaging/README.md.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6E0C6A52-3F0B-4C77-9D51-5B8E0B0F4A11}
AppName=Shelter Desk
AppVersion={#AppVersion}
AppPublisher=Shelter Desk
DefaultDirName={localappdata}\Programs\Shelter Desk
DefaultGroupName=Shelter Desk
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=shelter-desk-{#AppVersion}-windows-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\Shelter Desk.exe

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "he"; MessagesFile: "compiler:Languages\Hebrew.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"

[Files]
Source: "..\..\dist\shelter-desk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{autoprograms}\Shelter Desk"; Filename: "{app}\Shelter Desk.exe"
