"""Physical constants, SI units, exact values of the 2019 SI redefinition (CODATA 2018).

Each constant is documented by the ``#:`` comment above it, with its source.
"""

from __future__ import annotations

__all__ = ["R", "F", "E_CHARGE", "N_A", "K_B", "ZERO_CELSIUS", "BODY_TEMPERATURE"]

#: Elementary charge, C. Exact by definition of the SI (2019).
E_CHARGE: float = 1.602176634e-19

#: Avogadro constant, 1/mol. Exact by definition of the SI (2019).
N_A: float = 6.02214076e23

#: Boltzmann constant, J/K. Exact by definition of the SI (2019).
K_B: float = 1.380649e-23

#: Faraday constant, C/mol: N_A * e, exact; CODATA 2018 quotes 96485.33212...
F: float = N_A * E_CHARGE

#: Molar gas constant, J/(mol K): N_A * k_B, exact; CODATA 2018 quotes 8.314462618...
R: float = N_A * K_B

#: 0 degrees Celsius in kelvin, K. Definition of the Celsius scale.
ZERO_CELSIUS: float = 273.15

#: 37 degrees Celsius in kelvin, K (mammalian body temperature; the documents round it to 310 K).
BODY_TEMPERATURE: float = ZERO_CELSIUS + 37.0
