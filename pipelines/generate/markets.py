"""Who trades what with whom: country mixes, currencies and product categories of the sample."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from pipelines.contract.reference import (
    countries,
    currencies,
    fx_rates_monthly,
    product_categories,
)

# Relative weight of buyers by country; every other inhabited country weighs OTHER_BUYER_WEIGHT.
BUYER_COUNTRY_WEIGHTS = {
    "US": 220, "DE": 60, "GB": 55, "JP": 50, "KR": 45, "AU": 45, "FR": 35, "CA": 35, "NL": 30,
    "IT": 25, "ES": 22, "VN": 45, "CN": 20, "IN": 30, "AE": 30, "SG": 25, "HK": 18, "TW": 12,
    "MY": 18, "TH": 18, "ID": 15, "PH": 15, "SA": 18, "BE": 12, "SE": 10, "PL": 14, "CH": 10,
    "MX": 15, "BR": 15, "TR": 10, "IL": 8, "ZA": 8, "NG": 8, "EG": 8, "KE": 5, "PK": 6,
    "BD": 6, "RU": 8, "NZ": 10, "DK": 7, "NO": 6, "FI": 5, "AT": 8, "IE": 6, "PT": 6, "GR": 5,
    "CZ": 6, "RO": 5, "HU": 4, "CL": 5, "CO": 5, "PE": 4, "AR": 4, "KH": 6, "LA": 3, "MM": 3,
    "QA": 5, "KW": 4, "OM": 3, "BH": 2, "JO": 2, "MA": 4, "DZ": 3, "TN": 2, "GH": 3, "UA": 4,
}  # fmt: skip
OTHER_BUYER_WEIGHT = 0.6
# Territories without a resident business population get no buyers.
NO_BUYERS = frozenset({"AQ", "BV", "HM", "GS", "TF", "UM"})

SUPPLIER_COUNTRY_WEIGHTS = {
    "CN": 44, "IN": 11, "TH": 7, "ID": 6, "MY": 4, "TR": 4, "BD": 3, "PK": 3, "KR": 3, "TW": 3,
    "US": 2, "DE": 1.5, "IT": 1.5, "JP": 1, "KH": 1.5, "PH": 1.5, "MX": 1, "BR": 1, "PL": 1,
    "ES": 1,
}  # fmt: skip

DOMESTIC_CURRENCY = {
    "VN": "VND", "CN": "CNY", "IN": "INR", "TH": "THB", "ID": "IDR", "MY": "MYR", "TR": "TRY",
    "BD": "BDT", "PK": "PKR", "KR": "KRW", "TW": "TWD", "JP": "JPY", "US": "USD", "DE": "EUR",
    "IT": "EUR", "ES": "EUR", "PL": "PLN", "PH": "PHP", "KH": "KHR", "MX": "MXN", "BR": "BRL",
}  # fmt: skip
EURO_AREA = (
    "AT", "BE", "HR", "CY", "EE", "FI", "FR", "DE", "GR", "IE", "IT", "LV", "LT", "LU", "MT",
    "NL", "PT", "SK", "SI", "ES", "AD", "MC", "SM", "VA", "ME",
)  # fmt: skip
# Currency an importer in the country pays in when it does not pay in USD, and how often.
BUYER_CURRENCY = {
    **{code: ("EUR", 0.40) for code in EURO_AREA},
    "GB": ("GBP", 0.35), "JP": ("JPY", 0.30), "AU": ("AUD", 0.30), "CA": ("CAD", 0.25),
    "KR": ("KRW", 0.20), "SG": ("SGD", 0.20), "HK": ("HKD", 0.20), "CH": ("CHF", 0.30),
    "SE": ("SEK", 0.25), "NO": ("NOK", 0.25), "DK": ("DKK", 0.25), "NZ": ("NZD", 0.25),
    "AE": ("AED", 0.15), "SA": ("SAR", 0.15), "TW": ("TWD", 0.15), "MY": ("MYR", 0.15),
    "TH": ("THB", 0.15), "PH": ("PHP", 0.10), "ID": ("IDR", 0.10), "IN": ("INR", 0.15),
    "MX": ("MXN", 0.15), "BR": ("BRL", 0.15), "PL": ("PLN", 0.20), "CZ": ("CZK", 0.20),
    "HU": ("HUF", 0.20), "IL": ("ILS", 0.15), "ZA": ("ZAR", 0.15), "TR": ("TRY", 0.10),
    "CL": ("CLP", 0.10), "CO": ("COP", 0.10), "EG": ("EGP", 0.05), "NG": ("NGN", 0.05),
    "KE": ("KES", 0.05), "LK": ("LKR", 0.05), "RU": ("RUB", 0.20), "CN": ("CNY", 0.30),
    "VN": ("VND", 0.30),
}  # fmt: skip

# Typical unit price in USD and lead time in days of each category.
CATEGORY_PROFILE = {
    "apparel": (6.5, 21), "workwear": (9, 21), "textiles_fabrics": (3.2, 18),
    "yarn_fiber": (2.8, 14), "home_textiles": (7, 21), "footwear": (14, 28),
    "leather_goods": (22, 25), "bags_luggage": (11, 21), "furniture": (95, 35),
    "wood_products": (35, 25), "home_decor": (12, 21), "kitchenware": (4, 18),
    "ceramics": (6, 25), "handicrafts": (5, 25), "lighting": (15, 21), "coffee": (3.8, 14),
    "tea": (4.5, 14), "cashew_nuts": (6.8, 14), "seafood": (7.5, 10), "rice": (0.55, 14),
    "pepper_spices": (3.6, 14), "fresh_fruit": (1.4, 7), "processed_food": (2.8, 14),
    "beverages": (1.2, 14), "animal_feed": (0.45, 10), "natural_rubber": (1.5, 14),
    "chemicals": (1.8, 14), "fertilizers": (0.4, 14), "plastics_resins": (1.3, 14),
    "plastic_products": (2.2, 18), "rubber_products": (3.5, 18), "paper_pulp": (0.8, 14),
    "electronic_components": (0.9, 14), "consumer_electronics": (45, 18),
    "electrical_equipment": (60, 21), "cables_wires": (2.5, 14), "solar_energy": (120, 28),
    "phone_accessories": (3.5, 10), "industrial_machinery": (4500, 45),
    "agricultural_machinery": (3200, 40), "tools_hardware": (8, 18), "metal_products": (12, 21),
    "steel": (0.75, 21), "auto_parts": (18, 25), "motorcycle_parts": (9, 21),
    "building_materials": (6, 21), "stone_tiles": (14, 25), "cosmetics": (5, 14),
    "medical_supplies": (3, 14), "pharmaceuticals": (8, 14), "packaging": (0.35, 14),
    "printing_services": (0.25, 7), "toys": (5.5, 25), "sporting_goods": (12, 25),
    "stationery": (1.8, 14), "jewelry": (9, 18), "logistics_services": (450, 5),
}  # fmt: skip

# Main categories of suppliers by country; suppliers elsewhere draw from OTHER_CATEGORIES.
VN_CATEGORIES = {
    "apparel": 10, "textiles_fabrics": 5, "yarn_fiber": 2, "home_textiles": 2, "workwear": 2,
    "footwear": 8, "leather_goods": 2, "bags_luggage": 4, "furniture": 8, "wood_products": 5,
    "handicrafts": 5, "home_decor": 3, "ceramics": 2, "kitchenware": 2, "coffee": 5, "tea": 2,
    "cashew_nuts": 4, "pepper_spices": 3, "seafood": 6, "rice": 4, "fresh_fruit": 3,
    "processed_food": 3, "beverages": 1, "animal_feed": 1, "natural_rubber": 2,
    "rubber_products": 1, "plastic_products": 3, "packaging": 2, "electronic_components": 6,
    "consumer_electronics": 2, "cables_wires": 2, "electrical_equipment": 1, "steel": 2,
    "metal_products": 2, "stone_tiles": 1, "building_materials": 1, "cosmetics": 1,
    "motorcycle_parts": 1, "solar_energy": 1, "lighting": 1,
}  # fmt: skip
CN_CATEGORIES = {
    "consumer_electronics": 8, "electronic_components": 8, "phone_accessories": 5,
    "electrical_equipment": 5, "cables_wires": 3, "solar_energy": 3, "lighting": 4,
    "industrial_machinery": 6, "agricultural_machinery": 2, "tools_hardware": 5,
    "metal_products": 4, "steel": 3, "auto_parts": 4, "motorcycle_parts": 2, "apparel": 6,
    "textiles_fabrics": 4, "home_textiles": 2, "footwear": 3, "bags_luggage": 3,
    "furniture": 4, "home_decor": 3, "kitchenware": 3, "ceramics": 2, "toys": 5,
    "sporting_goods": 3, "stationery": 2, "jewelry": 2, "packaging": 3, "plastic_products": 3,
    "plastics_resins": 2, "chemicals": 3, "building_materials": 3, "stone_tiles": 2,
    "medical_supplies": 2, "cosmetics": 2,
}  # fmt: skip
SERVICE_CATEGORIES = {"logistics_services": 3, "printing_services": 1}
BUSINESS_TYPE_MIX = {
    "VN": (0.55, 0.25, 0.12, 0.08),
    "CN": (0.50, 0.35, 0.10, 0.05),
    "other": (0.45, 0.33, 0.15, 0.07),
}


@dataclass(frozen=True)
class Markets:
    """Index-based lookup tables shared by the builders of suppliers, buyers and orders."""

    country_codes: pl.Series
    buyer_country_p: np.ndarray
    buyer_countries_covered: np.ndarray
    supplier_country_p: np.ndarray
    region: np.ndarray
    currency_codes: pl.Series
    minor_units: np.ndarray
    domestic_currency: np.ndarray
    buyer_currency: np.ndarray
    buyer_currency_p: np.ndarray
    category_codes: pl.Series
    category_group: np.ndarray
    category_price: np.ndarray
    category_lead: np.ndarray
    fx_months: np.ndarray
    usd_per_unit: np.ndarray

    def country_index(self, code: str) -> int:
        """Position of an ISO country code in `country_codes`."""
        return int(np.flatnonzero((self.country_codes == code).to_numpy())[0])

    def currency_index(self, code: str) -> int:
        """Position of an ISO currency code in `currency_codes`."""
        return int(np.flatnonzero((self.currency_codes == code).to_numpy())[0])

    def category_p(self, weights: dict[str, float]) -> np.ndarray:
        """Probabilities over `category_codes` from weights of some of them."""
        codes = self.category_codes.to_list()
        p = np.zeros(len(codes))
        for code, weight in weights.items():
            p[codes.index(code)] = weight
        return p / p.sum()


@cache
def markets() -> Markets:
    """Build the lookup tables from the reference seeds."""
    country_table = countries()
    codes = country_table["country_code"]
    code_list = codes.to_list()
    buyer_w = np.array(
        [
            0.0 if code in NO_BUYERS else BUYER_COUNTRY_WEIGHTS.get(code, OTHER_BUYER_WEIGHT)
            for code in code_list
        ]
    )
    supplier_w = np.array([SUPPLIER_COUNTRY_WEIGHTS.get(code, 0.0) for code in code_list])
    regions = country_table["region"].fill_null("Other")
    region_index = regions.rank("dense").to_numpy().astype(np.int64)

    currency_table = currencies()
    currency_list = currency_table["currency_code"].to_list()
    domestic = np.array(
        [currency_list.index(DOMESTIC_CURRENCY.get(code, "USD")) for code in code_list]
    )
    buyer_currency = np.array(
        [currency_list.index(BUYER_CURRENCY.get(code, ("USD", 0))[0]) for code in code_list]
    )
    buyer_currency_p = np.array([BUYER_CURRENCY.get(code, ("USD", 0.0))[1] for code in code_list])

    category_table = product_categories()
    category_list = category_table["category_code"].to_list()
    groups = category_table["parent_group"].rank("dense").to_numpy()

    fx = fx_rates_table(tuple(currency_list))
    return Markets(
        country_codes=codes,
        buyer_country_p=buyer_w / buyer_w.sum(),
        buyer_countries_covered=np.flatnonzero(buyer_w > 0),
        supplier_country_p=supplier_w / supplier_w.sum(),
        region=region_index,
        currency_codes=currency_table["currency_code"],
        minor_units=currency_table["minor_units"].to_numpy().astype(np.int64),
        domestic_currency=domestic,
        buyer_currency=buyer_currency,
        buyer_currency_p=buyer_currency_p,
        category_codes=category_table["category_code"],
        category_group=groups.astype(np.int64),
        category_price=np.array([CATEGORY_PROFILE[code][0] for code in category_list]),
        category_lead=np.array([CATEGORY_PROFILE[code][1] for code in category_list]),
        fx_months=fx[0],
        usd_per_unit=fx[1],
    )


def fx_rates_table(currency_list: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Months (datetime64[M]) and a months x currencies matrix of USD per unit."""
    wide = (
        fx_rates_monthly()
        .pivot(on="currency_code", index="month", values="usd_per_unit")
        .sort("month")
    )
    months = wide["month"].to_numpy().astype("datetime64[M]")
    matrix = wide.select(currency_list).to_numpy()
    return months, matrix
