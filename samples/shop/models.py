"""The shop's SQLAlchemy models: the schema its migration history builds at head.

``sqlbundle check --models`` proves the two agree (set ``target_metadata =
"models:Base.metadata"`` in sqlbundle.toml); after editing a model,
``sqlbundle revision --autogenerate -m "..."`` writes the migration that catches up.
Constraint names are spelled out because the history chose them (some keep the
``order_items`` prefix from before the table was renamed).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        sa.PrimaryKeyConstraint("id", name="pk_customers"),
        sa.UniqueConstraint("email", name="uq_customers_email"),
        sa.ForeignKeyConstraint(
            ["default_shipping_method_id"],
            ["shipping_methods.id"],
            name="fk_customers_shipping_methods",
            ondelete="SET NULL",
        ),
    )

    id: Mapped[int] = mapped_column(sa.Integer())
    email: Mapped[str] = mapped_column(sa.String(255))
    full_name: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(), server_default=sa.func.current_timestamp()
    )
    default_shipping_method_id: Mapped[Optional[int]] = mapped_column(sa.Integer())


class Category(Base):
    __tablename__ = "categories"
    __table_args__ = (
        sa.PrimaryKeyConstraint("id", name="pk_categories"),
        sa.Index("ix_categories_slug", "slug", unique=True),
    )

    id: Mapped[int] = mapped_column(sa.Integer())
    name: Mapped[str] = mapped_column(sa.String(100))
    slug: Mapped[str] = mapped_column(sa.String(100))
    description: Mapped[Optional[str]] = mapped_column(sa.String(255))


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        sa.PrimaryKeyConstraint("id", name="pk_products"),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name="fk_products_categories",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("sku", name="uq_products_sku"),
        sa.CheckConstraint("price > 0", name="ck_products_price_positive"),
        sa.CheckConstraint("stock >= 0", name="ck_products_stock_nonnegative"),
        sa.Index("ix_products_category_id", "category_id"),
    )

    id: Mapped[int] = mapped_column(sa.Integer())
    category_id: Mapped[Optional[int]] = mapped_column(sa.Integer())
    sku: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.String(255))
    price: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2))
    stock: Mapped[int] = mapped_column(sa.Integer(), server_default=sa.text("0"))
    created_at: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(), server_default=sa.func.current_timestamp()
    )


class ShippingMethod(Base):
    __tablename__ = "shipping_methods"
    __table_args__ = (
        sa.PrimaryKeyConstraint("id", name="pk_shipping_methods"),
        sa.UniqueConstraint("code", name="uq_shipping_methods_code"),
        sa.CheckConstraint("fee >= 0", name="ck_shipping_methods_fee_nonneg"),
    )

    id: Mapped[int] = mapped_column(sa.Integer())
    code: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(100))
    description: Mapped[Optional[str]] = mapped_column(sa.String(255))
    fee: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2), server_default=sa.text("0"))


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        sa.PrimaryKeyConstraint("id", name="pk_orders"),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name="fk_orders_customers",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["shipping_method_id"],
            ["shipping_methods.id"],
            name="fk_orders_shipping_methods",
            ondelete="SET NULL",
        ),
        sa.CheckConstraint("total_amount >= 0", name="ck_orders_total_nonnegative"),
        sa.Index("ix_orders_customer_placed", "customer_id", "placed_at"),
    )

    id: Mapped[int] = mapped_column(sa.Integer())
    customer_id: Mapped[int] = mapped_column(sa.Integer())
    shipping_method_id: Mapped[Optional[int]] = mapped_column(sa.Integer())
    # VARCHAR + CHECK everywhere: no database ENUM type to manage.
    status: Mapped[str] = mapped_column(
        sa.Enum(
            "pending",
            "paid",
            "shipped",
            "cancelled",
            name="order_status",
            native_enum=False,
            create_constraint=True,
        ),
        server_default="pending",
    )
    total_amount: Mapped[Decimal] = mapped_column(
        sa.Numeric(12, 2), server_default=sa.text("0")
    )
    placed_at: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(), server_default=sa.func.current_timestamp()
    )


class OrderLine(Base):
    # Renamed from order_items; its constraint names kept the old prefix.
    __tablename__ = "order_lines"
    __table_args__ = (
        sa.PrimaryKeyConstraint("id", name="pk_order_items"),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_order_items_orders", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name="fk_order_items_products",
            ondelete="RESTRICT",
        ),
        sa.UniqueConstraint("order_id", "product_id", name="uq_order_items_order_product"),
        sa.CheckConstraint("quantity > 0", name="ck_order_items_qty_positive"),
        sa.CheckConstraint("unit_price >= 0", name="ck_order_items_price_nonneg"),
    )

    id: Mapped[int] = mapped_column(sa.Integer())
    order_id: Mapped[int] = mapped_column(sa.Integer())
    product_id: Mapped[int] = mapped_column(sa.Integer())
    quantity: Mapped[int] = mapped_column(sa.Integer())
    unit_price: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2))
    line_total: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        sa.PrimaryKeyConstraint("id", name="pk_payments"),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_payments_orders", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("provider", "provider_ref", name="uq_payments_provider_ref"),
        sa.CheckConstraint("amount > 0", name="ck_payments_amount_positive"),
        sa.CheckConstraint(
            "refunded_amount >= 0 AND refunded_amount <= amount",
            name="ck_payments_refund_in_range",
        ),
        sa.Index("ix_payments_order_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(sa.Integer())
    order_id: Mapped[int] = mapped_column(sa.Integer())
    provider: Mapped[str] = mapped_column(sa.String(30))
    provider_ref: Mapped[str] = mapped_column(sa.String(64))
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    currency: Mapped[str] = mapped_column(sa.String(3), server_default="EUR")
    captured_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime())
    created_at: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(), server_default=sa.func.current_timestamp()
    )
    refunded_amount: Mapped[Decimal] = mapped_column(
        sa.Numeric(12, 2), server_default=sa.text("0")
    )


class ProductReview(Base):
    __tablename__ = "product_reviews"
    __table_args__ = (
        sa.PrimaryKeyConstraint("id", name="pk_product_reviews"),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name="fk_product_reviews_products",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name="fk_product_reviews_customers",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("product_id", "customer_id", name="uq_product_reviews_customer"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_product_reviews_rating"),
    )

    id: Mapped[int] = mapped_column(sa.Integer())
    product_id: Mapped[int] = mapped_column(sa.Integer())
    customer_id: Mapped[int] = mapped_column(sa.Integer())
    rating: Mapped[int] = mapped_column(sa.SmallInteger())
    title: Mapped[Optional[str]] = mapped_column(sa.String(120))
    body: Mapped[Optional[str]] = mapped_column(sa.Text())
    created_at: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(), server_default=sa.func.current_timestamp()
    )
