"""create orders and order items

Revision ID: e2d84c9a1f60
Revises: 5a61f3d8e9b7
Create Date: 2026-01-08 09:45:00
"""
from sqlbundle import op
import sqlalchemy as sa

# revision identifiers, used by sqlbundle.
revision = "e2d84c9a1f60"
down_revision = "5a61f3d8e9b7"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("shipping_method_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            # VARCHAR + CHECK everywhere: no database ENUM type to manage.
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
            nullable=False,
        ),
        sa.Column(
            "total_amount",
            sa.Numeric(precision=12, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column(
            "placed_at",
            sa.DateTime(),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
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
    )
    op.create_index(
        "ix_orders_customer_placed", "orders", ["customer_id", "placed_at"]
    )

    op.create_table(
        "order_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_order_items"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name="fk_order_items_orders",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name="fk_order_items_products",
            ondelete="RESTRICT",
        ),
        sa.UniqueConstraint(
            "order_id", "product_id", name="uq_order_items_order_product"
        ),
        sa.CheckConstraint("quantity > 0", name="ck_order_items_qty_positive"),
        sa.CheckConstraint("unit_price >= 0", name="ck_order_items_price_nonneg"),
    )


def downgrade() -> None:
    op.drop_table("order_items")
    # Dropping the table drops ix_orders_customer_placed with it. (MariaDB will not
    # drop that index on its own while it backs fk_orders_customers.)
    op.drop_table("orders")
