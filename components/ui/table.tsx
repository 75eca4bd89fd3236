import type { ComponentPropsWithRef, ReactNode } from "react";
import { cx } from "./cx";

type TableProps = ComponentPropsWithRef<"table"> & {
  /** The table's accessible name; shown visually hidden unless `showCaption`. */
  caption: ReactNode;
  showCaption?: boolean;
};

/** A dense data table that scrolls horizontally inside its own box on narrow screens. */
export function Table({ caption, showCaption = false, className, children, ...props }: TableProps) {
  return (
    <div className="table-wrap">
      <table className={cx("table", className)} {...props}>
        <caption className={showCaption ? "table-caption" : "sr-only"}>{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function THead(props: ComponentPropsWithRef<"thead">) {
  return <thead {...props} />;
}

export function TBody(props: ComponentPropsWithRef<"tbody">) {
  return <tbody {...props} />;
}

export function Tr(props: ComponentPropsWithRef<"tr">) {
  return <tr {...props} />;
}

type CellAlign = { align?: "left" | "right" };

export function Th({ align, className, ...props }: ComponentPropsWithRef<"th"> & CellAlign) {
  return <th scope="col" className={cx(align === "right" && "num", className)} {...props} />;
}

export function Td({ align, className, ...props }: ComponentPropsWithRef<"td"> & CellAlign) {
  return <td className={cx(align === "right" && "num", className)} {...props} />;
}
