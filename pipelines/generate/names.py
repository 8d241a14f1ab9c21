"""Parts of realistic supplier names and provinces, drawn by index so that names vectorise."""

from __future__ import annotations

import numpy as np
import polars as pl

VN_PREFIXES = (
    ("Công ty TNHH", 40),
    ("Công ty Cổ phần", 25),
    ("Công ty TNHH MTV", 10),
    ("Công ty TNHH Sản xuất và Thương mại", 10),
    ("Doanh nghiệp Tư nhân", 6),
    ("Hợp tác xã", 4),
    ("Công ty Cổ phần Tập đoàn", 5),
)
VN_FIRST = (
    "Hoàng", "Minh", "An", "Thành", "Phú", "Đại", "Việt", "Hưng", "Tân", "Kim", "Long", "Thiên",
    "Bảo", "Hải", "Nam", "Phúc", "Quang", "Sơn", "Trường", "Đức", "Gia", "Hòa", "Hồng", "Khánh",
    "Lộc", "Ngọc", "Nhật", "Phương", "Thái", "Thịnh", "Toàn", "Trung", "Vĩnh", "Xuân", "Mai",
    "Hà", "Sài Gòn", "Đông Á", "Tiến", "Hiệp", "Vạn", "Tường", "Lam", "Đông", "Bình",
)  # fmt: skip
VN_SECOND = (
    "Thanh", "Phát", "Phú", "Đạt", "Long", "Hưng", "Thịnh", "Lộc", "An", "Việt", "Tín", "Nguyên",
    "Khang", "Minh", "Tâm", "Quang", "Sơn", "Hà", "Huy", "Anh", "Phong", "Bình", "Thành",
    "Vượng", "Lợi", "Tiến", "Hòa", "Nghĩa", "Trí", "Cường",
)  # fmt: skip
VN_TRADE = {
    "apparel": "May mặc", "workwear": "May mặc", "textiles_fabrics": "Dệt may",
    "yarn_fiber": "Sợi", "home_textiles": "Dệt may", "footwear": "Giày da",
    "leather_goods": "Đồ da", "bags_luggage": "Túi xách", "furniture": "Nội thất",
    "wood_products": "Gỗ", "home_decor": "Trang trí", "kitchenware": "Gia dụng",
    "ceramics": "Gốm sứ", "handicrafts": "Mỹ nghệ", "lighting": "Chiếu sáng",
    "coffee": "Cà phê", "tea": "Chè", "cashew_nuts": "Hạt điều", "seafood": "Thủy sản",
    "rice": "Lương thực", "pepper_spices": "Nông sản", "fresh_fruit": "Nông sản",
    "processed_food": "Thực phẩm", "beverages": "Đồ uống", "animal_feed": "Thức ăn chăn nuôi",
    "natural_rubber": "Cao su", "rubber_products": "Cao su", "plastic_products": "Nhựa",
    "plastics_resins": "Nhựa", "chemicals": "Hóa chất", "fertilizers": "Phân bón",
    "paper_pulp": "Giấy", "electronic_components": "Điện tử", "consumer_electronics": "Điện tử",
    "electrical_equipment": "Thiết bị điện", "cables_wires": "Dây cáp điện",
    "steel": "Thép", "metal_products": "Cơ khí", "industrial_machinery": "Cơ khí",
    "tools_hardware": "Cơ khí", "packaging": "Bao bì", "printing_services": "In ấn",
    "logistics_services": "Logistics", "stone_tiles": "Đá ốp lát",
    "building_materials": "Vật liệu xây dựng", "cosmetics": "Mỹ phẩm",
}  # fmt: skip

CN_FIRST = (
    "Hua", "Xin", "Jin", "Tian", "Hong", "Sheng", "Da", "Yong", "Fu", "Kang", "Long", "Mei",
    "Rui", "Hai", "Heng", "Bao", "Guang", "Ming", "Tai", "Yuan", "Feng", "Jia", "Xing", "Chang",
    "Hao", "Sen", "Wei", "Zhong",
)  # fmt: skip
CN_SECOND = (
    "yuan", "xin", "da", "sheng", "tai", "feng", "hua", "li", "cheng", "kang", "long", "rui",
    "yang", "tong", "hong", "jie", "bang", "wei", "an", "mei",
)  # fmt: skip
IN_FIRST = (
    "Shree", "Sai", "Ganesh", "Krishna", "Balaji", "Om", "Laxmi", "Vinayak", "Bharat", "Surya",
    "Gayatri", "Jai", "Ambika", "Mahalaxmi", "Raj", "Shiva",
)  # fmt: skip
IN_SECOND = ("Exports", "Industries", "Enterprises", "Overseas", "Impex", "International")
IN_SUFFIX = ("Pvt. Ltd.", "LLP", "Ltd.", "Pvt. Ltd.")
WORLD_FIRST = (
    "Asia", "Global", "Golden", "Pacific", "Star", "Prime", "United", "Royal", "Green",
    "Blue Ocean", "Sun", "Eagle", "Lotus", "Crown", "Summit", "Delta", "Orient", "Atlas", "Apex",
    "Evergreen", "Silver", "Phoenix", "Jade", "Harbor", "Unity", "Zenith", "Northstar", "Meridian",
)  # fmt: skip
EN_TRADE = {
    "apparel": "Garment", "workwear": "Garment", "textiles_fabrics": "Textile",
    "yarn_fiber": "Textile", "home_textiles": "Home Textile", "footwear": "Footwear",
    "leather_goods": "Leather", "bags_luggage": "Bags", "furniture": "Furniture",
    "wood_products": "Wood", "home_decor": "Home Decor", "kitchenware": "Houseware",
    "ceramics": "Ceramics", "handicrafts": "Crafts", "lighting": "Lighting", "coffee": "Coffee",
    "tea": "Tea", "seafood": "Seafood", "rice": "Grain", "processed_food": "Foods",
    "electronic_components": "Electronics", "consumer_electronics": "Electronics",
    "electrical_equipment": "Electric", "industrial_machinery": "Machinery",
    "agricultural_machinery": "Machinery", "steel": "Steel", "metal_products": "Metal",
    "tools_hardware": "Tools", "auto_parts": "Auto Parts", "chemicals": "Chemical",
    "plastic_products": "Plastic", "packaging": "Packaging", "toys": "Toys",
    "cosmetics": "Cosmetics", "medical_supplies": "Medical", "solar_energy": "Solar",
    "logistics_services": "Logistics",
}  # fmt: skip
COMPANY_SUFFIX = {
    "CN": "Co., Ltd.", "TH": "Co., Ltd.", "KR": "Co., Ltd.", "TW": "Co., Ltd.",
    "JP": "Co., Ltd.", "MY": "Sdn. Bhd.", "TR": "A.Ş.", "DE": "GmbH", "IT": "S.r.l.",
    "US": "Inc.", "BD": "Ltd.", "PK": "(Pvt) Ltd.", "ES": "S.L.", "PL": "Sp. z o.o.",
    "FR": "SAS", "MX": "S.A. de C.V.", "BR": "Ltda.", "KH": "Co., Ltd.", "PH": "Inc.",
}  # fmt: skip

VN_PROVINCES = (
    ("Hồ Chí Minh", 22), ("Hà Nội", 14), ("Bình Dương", 10), ("Đồng Nai", 8), ("Long An", 4),
    ("Hải Phòng", 5), ("Bắc Ninh", 4), ("Đà Nẵng", 3), ("Bà Rịa - Vũng Tàu", 2), ("Hưng Yên", 2),
    ("Hải Dương", 2), ("Vĩnh Phúc", 2), ("Bắc Giang", 2), ("Thái Nguyên", 1.5),
    ("Quảng Ninh", 1.5), ("Nam Định", 1.5), ("Thái Bình", 1), ("Ninh Bình", 1),
    ("Thanh Hóa", 1.5), ("Nghệ An", 1.5), ("Khánh Hòa", 1.5), ("Bình Định", 1.5),
    ("Đắk Lắk", 1.5), ("Lâm Đồng", 1.5), ("Gia Lai", 1), ("Cần Thơ", 2), ("An Giang", 1.5),
    ("Kiên Giang", 1), ("Đồng Tháp", 1), ("Cà Mau", 1), ("Sóc Trăng", 0.8), ("Bạc Liêu", 0.6),
    ("Bến Tre", 0.8), ("Tiền Giang", 1), ("Vĩnh Long", 0.6), ("Trà Vinh", 0.5),
    ("Hậu Giang", 0.5), ("Tây Ninh", 1), ("Bình Phước", 1), ("Bình Thuận", 0.8),
    ("Ninh Thuận", 0.4), ("Phú Yên", 0.5), ("Quảng Ngãi", 0.6), ("Quảng Nam", 1),
    ("Thừa Thiên Huế", 0.8), ("Quảng Trị", 0.4), ("Quảng Bình", 0.4), ("Hà Tĩnh", 0.5),
    ("Hà Nam", 0.8), ("Hòa Bình", 0.4), ("Phú Thọ", 0.8), ("Tuyên Quang", 0.3), ("Yên Bái", 0.3),
    ("Lào Cai", 0.4), ("Lạng Sơn", 0.4), ("Cao Bằng", 0.2), ("Bắc Kạn", 0.2), ("Hà Giang", 0.2),
    ("Sơn La", 0.3), ("Điện Biên", 0.2), ("Lai Châu", 0.2), ("Kon Tum", 0.3), ("Đắk Nông", 0.4),
)  # fmt: skip
# Where a category clusters, most of its Vietnamese suppliers sit in these provinces.
VN_CATEGORY_PROVINCES = {
    "coffee": ("Đắk Lắk", "Lâm Đồng", "Gia Lai", "Đắk Nông"),
    "tea": ("Lâm Đồng", "Thái Nguyên", "Phú Thọ", "Yên Bái"),
    "seafood": ("Cà Mau", "Kiên Giang", "Bạc Liêu", "Sóc Trăng", "Khánh Hòa"),
    "rice": ("An Giang", "Đồng Tháp", "Cần Thơ", "Kiên Giang", "Long An"),
    "cashew_nuts": ("Bình Phước", "Đồng Nai", "Bình Dương"),
    "pepper_spices": ("Đắk Lắk", "Gia Lai", "Bà Rịa - Vũng Tàu", "Bình Phước"),
    "furniture": ("Bình Dương", "Đồng Nai", "Bình Định", "Hồ Chí Minh"),
    "handicrafts": ("Hà Nội", "Ninh Bình", "Thái Bình", "Quảng Nam"),
    "ceramics": ("Bình Dương", "Hà Nội", "Vĩnh Long"),
    "natural_rubber": ("Bình Phước", "Tây Ninh", "Bình Dương"),
}
CN_PROVINCES = (
    ("Guangdong", 25), ("Zhejiang", 22), ("Jiangsu", 14), ("Fujian", 8), ("Shandong", 8),
    ("Shanghai", 6), ("Hebei", 3), ("Henan", 2), ("Anhui", 2), ("Hubei", 2), ("Beijing", 2),
    ("Tianjin", 2), ("Sichuan", 2), ("Liaoning", 1.5), ("Jiangxi", 1.5), ("Hunan", 1.5),
    ("Guangxi", 1), ("Chongqing", 1),
)  # fmt: skip
IN_STATES = (
    ("Maharashtra", 20), ("Gujarat", 16), ("Tamil Nadu", 14), ("Delhi", 12), ("Karnataka", 8),
    ("Uttar Pradesh", 8), ("West Bengal", 6), ("Punjab", 5), ("Haryana", 6), ("Rajasthan", 5),
)  # fmt: skip


def pick(rng: np.random.Generator, weighted: tuple[tuple[str, float], ...], size: int) -> pl.Series:
    """Draw `size` labels from `(label, weight)` pairs."""
    labels = pl.Series([label for label, _ in weighted])
    weights = np.array([weight for _, weight in weighted], dtype=float)
    return labels.gather(rng.choice(len(labels), size=size, p=weights / weights.sum()))


def uniform_pick(rng: np.random.Generator, labels: tuple[str, ...], size: int) -> pl.Series:
    """Draw `size` labels uniformly from `labels`."""
    return pl.Series(labels).gather(rng.integers(0, len(labels), size=size))


def supplier_names(
    rng: np.random.Generator, countries: pl.Series, categories: pl.Series
) -> pl.Series:
    """Business names in the style of each supplier's country and trade."""
    n = len(countries)
    frame = pl.DataFrame(
        {
            "country": countries,
            "category": categories,
            "vn_prefix": pick(rng, VN_PREFIXES, n),
            "vn_core": uniform_pick(rng, VN_FIRST, n) + " " + uniform_pick(rng, VN_SECOND, n),
            "vn_trade_on": rng.random(n) < 0.45,
            "cn_brand": uniform_pick(rng, CN_FIRST, n) + uniform_pick(rng, CN_SECOND, n),
            "in_name": uniform_pick(rng, IN_FIRST, n) + " " + uniform_pick(rng, IN_SECOND, n),
            "in_suffix": uniform_pick(rng, IN_SUFFIX, n),
            "world": uniform_pick(rng, WORLD_FIRST, n),
            "trading": rng.random(n) < 0.3,
        }
    )
    vn_trade = pl.col("category").replace_strict(VN_TRADE, default="Thương mại")
    en_trade = pl.col("category").replace_strict(EN_TRADE, default="Trading")
    suffix = pl.col("country").replace_strict(COMPANY_SUFFIX, default="Ltd.")
    vietnamese = pl.concat_str(
        pl.col("vn_prefix"),
        pl.when(pl.col("vn_trade_on")).then(pl.lit(" ") + vn_trade).otherwise(pl.lit("")),
        pl.lit(" "),
        pl.col("vn_core"),
    )
    chinese = pl.concat_str(
        pl.col("cn_brand"),
        pl.lit(" "),
        pl.when(pl.col("trading")).then(pl.lit("Import & Export")).otherwise(en_trade),
        pl.lit(" "),
        suffix,
    )
    indian = pl.col("in_name") + " " + pl.col("in_suffix")
    indonesian = pl.concat_str(pl.lit("PT "), pl.col("world"), pl.lit(" "), en_trade)
    other = pl.concat_str(pl.col("world"), pl.lit(" "), en_trade, pl.lit(" "), suffix)
    name = (
        pl.when(pl.col("country") == "VN")
        .then(vietnamese)
        .when(pl.col("country") == "CN")
        .then(chinese)
        .when(pl.col("country") == "IN")
        .then(indian)
        .when(pl.col("country") == "ID")
        .then(indonesian)
        .otherwise(other)
    )
    return frame.select(name.alias("supplier_name")).to_series()


def provinces(rng: np.random.Generator, countries: pl.Series, categories: pl.Series) -> pl.Series:
    """Province or state of each supplier where the country is one we know provinces of."""
    n = len(countries)
    frame = pl.DataFrame(
        {
            "country": countries,
            "category": categories,
            "vn": pick(rng, VN_PROVINCES, n),
            "cn": pick(rng, CN_PROVINCES, n),
            "in": pick(rng, IN_STATES, n),
            "cluster_on": rng.random(n) < 0.65,
            **{
                f"cluster_{code}": uniform_pick(rng, names, n)
                for code, names in VN_CATEGORY_PROVINCES.items()
            },
        }
    )
    cluster = pl.lit(None, dtype=pl.String)
    for code in VN_CATEGORY_PROVINCES:
        cluster = pl.when(pl.col("category") == code).then(f"cluster_{code}").otherwise(cluster)
    vietnam = pl.when(pl.col("cluster_on") & cluster.is_not_null()).then(cluster).otherwise("vn")
    province = (
        pl.when(pl.col("country") == "VN")
        .then(vietnam)
        .when(pl.col("country") == "CN")
        .then(pl.col("cn"))
        .when(pl.col("country") == "IN")
        .then(pl.col("in"))
        .otherwise(None)
    )
    return frame.select(province.alias("province")).to_series()
