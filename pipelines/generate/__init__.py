"""A calibrated, seeded sample of raw B2B trade data that follows the raw contract."""

from pipelines.generate.faults import FAULT_KINDS, FaultKind
from pipelines.generate.plan import BUYER_GROWTH_TARGET, VN_SUPPLIER_GROWTH_TARGET
from pipelines.generate.sample import GenerationSummary, generate_sample

__all__ = [
    "BUYER_GROWTH_TARGET",
    "FAULT_KINDS",
    "VN_SUPPLIER_GROWTH_TARGET",
    "FaultKind",
    "GenerationSummary",
    "generate_sample",
]
