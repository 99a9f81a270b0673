"""Emergency telephone numbers by region (ambulance), used in emergency wording."""

from __future__ import annotations

# Ambulance numbers as published by each region's health authority (ITU-T E.161 national lists).
EMERGENCY_NUMBERS: dict[str, str] = {
    "CN": "120", "HK": "999", "MO": "999", "TW": "119", "SG": "995", "MY": "999", "JP": "119", "KR": "119",
    "US": "911", "CA": "911", "MX": "911", "GB": "999", "UK": "999", "IE": "112", "AU": "000", "NZ": "111",
    "IN": "112", "DE": "112", "FR": "15", "ES": "112", "IT": "118", "NL": "112", "SE": "112", "CH": "144",
    "EU": "112", "TH": "1669", "PH": "911", "VN": "115", "ID": "118", "ZA": "10177", "BR": "192", "RU": "103",
}
DEFAULT_REGION = "CN"


def emergency_number(region: str | None = None, override: str | None = None) -> str:
    """The number to call for an ambulance; an explicit override (from settings) wins, unknown regions get 112."""
    if override:
        return override
    code = (region or DEFAULT_REGION).strip().upper()
    return EMERGENCY_NUMBERS.get(code, "112")
